import { spawnSync } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Instance, openInstance } from "@bosun/instance";
import { acquireEmbeddedPostgres } from "@bosun/storage";
import pg from "pg";

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Median wall time of starting a bare `node` process that does nothing: the floor for process-based work. */
export function bareNodeStartMs(samples = 10): number {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    spawnSync(process.execPath, ["-e", ""]);
    times.push(performance.now() - start);
  }
  return median(times);
}

/** A throwaway instance: its own BOSUN_HOME with an embedded PostgreSQL, removed afterwards. */
export async function withScratchInstance<T>(fn: (instance: Instance) => Promise<T>): Promise<T> {
  const home = await mkdtemp(path.join(tmpdir(), "bosun-bench-"));
  // The embedded server runs as the unprivileged "postgres" user when we are root: it must enter the directory.
  await chmod(home, 0o755);
  const instance = await openInstance({ home });
  try {
    return await fn(instance);
  } finally {
    await instance.close();
    await rm(home, { recursive: true, force: true });
  }
}

export const fmt = (n: number, digits = 2) => n.toFixed(digits);

/** A database of its own for one benchmark, dropped by `close`. */
export interface ScratchDatabase {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Creates `bosun_bench_<prefix>_<time>` on BOSUN_TEST_DATABASE_URL's server, or on an embedded PostgreSQL
 * in a scratch directory (removed by `close`) when that variable is not set.
 */
export async function openScratchDatabase(
  prefix: string,
  durability: "durable" | "fast",
): Promise<ScratchDatabase> {
  let scratch: string | null = null;
  let release: (() => Promise<void>) | null = null;
  let adminUrl = process.env.BOSUN_TEST_DATABASE_URL;
  if (!adminUrl) {
    scratch = await mkdtemp(path.join(tmpdir(), "bosun-bench-"));
    // The embedded server runs as the unprivileged "postgres" user when we are root: it must enter the directory.
    await chmod(scratch, 0o755);
    const server = await acquireEmbeddedPostgres({ directory: path.join(scratch, "postgres"), durability });
    adminUrl = server.adminUrl;
    release = () => server.release();
  }
  const database = `bosun_bench_${prefix}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    async close() {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
      await release?.();
      if (scratch) await rm(scratch, { recursive: true, force: true });
    },
  };
}
