export { createTestDatabase, databaseUrl, queryRows, type TestDatabase } from './test-database.js';
