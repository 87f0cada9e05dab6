export { ConfigError, loadConfig, type ConfigProblem } from './load-config.ts';
export { env } from './env.ts';
