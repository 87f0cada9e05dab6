export { testDatabaseUri, useTestDatabase, type TestDatabase } from './test-database.ts';
