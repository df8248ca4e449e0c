import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { acquireEmbeddedPostgres } from "@bosun/storage";
import type { TestProject } from "vitest/node";
import { TEST_ADMIN_URL_ENV } from "./admin-url.ts";

/**
 * Vitest global setup: ONE PostgreSQL for the whole run. With BOSUN_TEST_DATABASE_URL set, tests use
 * that server (the URL must allow CREATE DATABASE); otherwise an embedded server is started in a temp
 * directory, with fsync off, and removed at the end. Test files get the URL through
 * `inject("bosunTestAdminUrl")` (see `testAdminUrl()`) and each clones a migrated template database
 * (`createTestStorage()`).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.BOSUN_TEST_DATABASE_URL;
  if (external) {
    project.provide("bosunTestAdminUrl", external);
    process.env[TEST_ADMIN_URL_ENV] = external;
    return async () => {};
  }
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), "bosun-test-pg-"));
  // The server runs as the postgres user when tests run as root; mkdtemp makes the directory 0700.
  await fs.chmod(directory, 0o755);
  let server: Awaited<ReturnType<typeof acquireEmbeddedPostgres>>;
  try {
    server = await acquireEmbeddedPostgres({
      directory: path.join(directory, "postgres"),
      database: "bosun_admin",
      durability: "fast",
    });
  } catch (error) {
    await fs.rm(directory, { recursive: true, force: true });
    throw error;
  }
  project.provide("bosunTestAdminUrl", server.url);
  process.env[TEST_ADMIN_URL_ENV] = server.url;
  return async () => {
    await server.release();
    await fs.rm(directory, { recursive: true, force: true });
  };
}
