export { testDatabaseUri, useTestDatabase, type TestDatabase } from './test-database.ts';
export { itRefusesBadConfiguration, startApp, type AppRun, type ConfigCase } from './start-app.ts';
export { seededRandom } from './seeded-random.ts';
export { until } from './until.ts';
