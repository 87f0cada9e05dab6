export { CallCounter } from './call-counter.ts';
export { createControlRouter, type ControlOptions } from './control-routes.ts';
export { FaultInjector, faultSchema, type ErrorRenderer, type Fault, type FaultInput } from './faults.ts';
export { ApiLatency, latencyEnv, latencyRangeSchema, type LatencyRange } from './latency.ts';
export { listen, type RunningServer } from './listen.ts';
