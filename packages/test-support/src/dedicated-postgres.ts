import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { acquireEmbeddedPostgres, PostgresStorage } from "@bosun/storage";
import { debianPostgresBin, removeDebianPostgres, startDebianPostgres } from "./debian-postgres.ts";

/** A PostgreSQL server of its own for one test, which the test can stop and start (database outages). */
export interface DedicatedPostgres {
  /** URL of its migrated database; stays the same across stop() and start(). */
  readonly databaseUrl: string;
  /** Storage on that database, opened once: it must live through the outage, as a server's would. */
  readonly storage: PostgresStorage;
  /** Stops the server (fast shutdown: sessions are terminated, new connections refused). */
  stop(): Promise<void>;
  /** Starts it again on the same data directory and port. */
  start(): Promise<void>;
  /** Closes the storage, stops the server and removes its files. */
  close(): Promise<void>;
}

/**
 * A PostgreSQL server of a test's own, for tests that take the database away (outages) without
 * disturbing the shared test server other files use. Starting one takes a few seconds (initdb). It is
 * the distribution's PostgreSQL when installed (`/usr/lib/postgresql/<version>/bin`, as on CI and the
 * Debian servers operators run), else the embedded one.
 */
export async function startDedicatedPostgres(): Promise<DedicatedPostgres> {
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), "bosun-dedicated-pg-"));
  // The server runs as the postgres user when tests run as root; mkdtemp makes the directory 0700.
  await fs.chmod(directory, 0o755);
  const debianBin = debianPostgresBin();
  if (debianBin) return dedicatedDebianPostgres(debianBin, directory);
  const options = {
    directory: path.join(directory, "postgres"),
    database: "bosun_dedicated",
    durability: "fast",
  } as const;
  let server: Awaited<ReturnType<typeof acquireEmbeddedPostgres>> | null =
    await acquireEmbeddedPostgres(options);
  const databaseUrl = server.url;
  const storage = await PostgresStorage.open({ connectionString: databaseUrl, poolSize: 5 });
  return {
    databaseUrl,
    storage,
    stop: async () => {
      await server?.release();
      server = null;
    },
    start: async () => {
      if (server) return;
      server = await acquireEmbeddedPostgres(options);
      if (server.url !== databaseUrl)
        throw new Error(`the restarted server moved from ${databaseUrl} to ${server.url} (port taken?)`);
    },
    close: async () => {
      await storage.close();
      await server?.release();
      server = null;
      await fs.rm(directory, { recursive: true, force: true });
    },
  };
}

async function dedicatedDebianPostgres(bin: string, directory: string): Promise<DedicatedPostgres> {
  const server = await startDebianPostgres(bin, directory, "bosun_dedicated");
  let running = true;
  const storage = await PostgresStorage.open({ connectionString: server.url, poolSize: 5 });
  return {
    databaseUrl: server.url,
    storage,
    stop: async () => {
      if (!running) return;
      await server.stop();
      running = false;
    },
    start: async () => {
      if (running) return;
      await server.start();
      running = true;
    },
    close: async () => {
      await storage.close();
      if (running) await server.stop();
      running = false;
      await removeDebianPostgres(directory);
    },
  };
}
