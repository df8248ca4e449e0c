export { TEST_ADMIN_URL_ENV, testAdminUrl, withDatabase } from "./admin-url.ts";
export { type DedicatedPostgres, startDedicatedPostgres } from "./dedicated-postgres.ts";
export { createTestStorage, type TestStorage } from "./test-storage.ts";
