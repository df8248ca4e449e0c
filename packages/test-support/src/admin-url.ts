import { inject } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of a database on the test PostgreSQL server, with the right to create databases. */
    bosunTestAdminUrl: string;
  }
}

/** Set by the global setup for test files and the processes they start. */
export const TEST_ADMIN_URL_ENV = "BOSUN_TEST_ADMIN_URL";

/** The admin URL of the PostgreSQL server shared by this test run. */
export function testAdminUrl(): string {
  const fromEnv = process.env[TEST_ADMIN_URL_ENV];
  if (fromEnv) return fromEnv;
  const provided = inject("bosunTestAdminUrl");
  if (!provided)
    throw new Error("no test PostgreSQL: run tests through the root vitest config (its globalSetup)");
  return provided;
}

/** The same server and credentials, another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}
