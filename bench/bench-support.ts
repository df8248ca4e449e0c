import { spawnSync } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Instance, openInstance } from "bosun";

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
