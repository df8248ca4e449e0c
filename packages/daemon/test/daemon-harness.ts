import { randomUUID } from "node:crypto";
import type { RunRecord, RunStatus } from "@bosun/core";
import { type DaemonSettings, parseDaemonSettings } from "@bosun/instance";
import type { BosunStorage } from "@bosun/storage";
import { afterAll, afterEach } from "vitest";
import type { DaemonLogger } from "../src/daemon-resources.ts";
import type { DaemonHandle } from "../src/start-daemon.ts";

/** Daemon settings from `bosun.yaml`-shaped sections, with everything else defaulted. */
export function settings(raw: Record<string, unknown> = {}): DaemonSettings {
  return parseDaemonSettings(raw);
}

/** A logger that keeps lines for assertions instead of printing them. */
export function memoryLog(): DaemonLogger & { readonly lines: string[] } {
  const lines: string[] = [];
  const log = ((level, message) => {
    lines.push(`${level} ${message}`);
  }) as DaemonLogger & { lines: string[] };
  Object.defineProperty(log, "lines", { value: lines });
  return log;
}

export async function waitFor<T>(
  probe: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what ?? "a condition"}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 20));
  }
}

export async function waitForStatus(
  storage: BosunStorage,
  runId: string,
  statuses: readonly RunStatus[],
  timeoutMs = 20_000,
): Promise<RunRecord> {
  return waitFor(
    async () => {
      const run = await storage.runs.getRun(runId);
      return run && statuses.includes(run.status) ? run : null;
    },
    { timeoutMs, what: `run ${runId} to reach ${statuses.join("/")}` },
  );
}

export async function queueRun(
  storage: BosunStorage,
  options: { tags?: Record<string, string>; codeLocation?: string | null; jobName?: string } = {},
): Promise<string> {
  const runId = randomUUID();
  await storage.runs.createRun({
    runId,
    jobName: options.jobName ?? "fake_job",
    status: "QUEUED",
    tags: options.tags ?? {},
    codeLocation: options.codeLocation === undefined ? "loc" : options.codeLocation,
  });
  return runId;
}

/** A list for the daemons a suite starts; every one in it is stopped after the suite. */
export function daemonsStoppedAfterAll(): DaemonHandle[] {
  return daemonsStoppedBy(afterAll);
}

/**
 * A list for the daemons each test starts, stopped after that test: for suites whose tests move a
 * `ManualClock` far ahead, so that a daemon left running with a clock minutes ahead of the next test's
 * cannot judge that test's runs.
 */
export function daemonsStoppedAfterEach(): DaemonHandle[] {
  return daemonsStoppedBy(afterEach);
}

function daemonsStoppedBy(hook: typeof afterAll): DaemonHandle[] {
  const daemons: DaemonHandle[] = [];
  hook(async () => {
    for (const daemon of daemons.splice(0)) await daemon.stop();
  });
  return daemons;
}
