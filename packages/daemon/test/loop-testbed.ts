import type { BosunStorage, DaemonType } from "@bosun/storage";
import { createTestStorage, type TestStorage } from "@bosun/test-support";
import { afterEach } from "vitest";
import type { ManualClock } from "../src/manual-clock.ts";
import { type DaemonHandle, startDaemon } from "../src/start-daemon.ts";
import { memoryLog, settings, waitFor } from "./daemon-harness.ts";
import { FakeWorkspace } from "./fake-workspace.ts";
import { SimulatedLauncher } from "./simulated-launcher.ts";

export interface LoopOptions {
  readonly storage: BosunStorage;
  readonly clock: ManualClock;
  /** `bosun.yaml` daemon sections (`{ scheduler: {...} }`); the rest is defaulted. */
  readonly daemon?: Record<string, unknown>;
  /** Default: a workspace with no code locations. */
  readonly workspace?: FakeWorkspace;
  /** Default: a fresh `memoryLog()`. */
  readonly log?: ReturnType<typeof memoryLog>;
}

/**
 * For a suite that drives one daemon loop on a `ManualClock` against PostgreSQL. Call it once at the top
 * of the file: it registers an `afterEach` that undoes what each test opened, newest first, so daemons
 * stop before the database they use is dropped.
 */
export function loopTestbed() {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  return {
    /** Runs `cleanup` after the current test. */
    onCleanup(cleanup: () => Promise<void>): void {
      cleanups.push(cleanup);
    },

    /** A database of its own for the test, dropped after it. */
    async database(): Promise<TestStorage> {
      const db = await createTestStorage();
      cleanups.push(() => db.drop());
      return db;
    },

    /** A daemon running only `loop`, with a simulated launcher; stopped after the test. */
    async startLoop(loop: DaemonType, options: LoopOptions): Promise<DaemonHandle> {
      const daemon = await startDaemon({
        instance: { storage: options.storage, daemon: settings(options.daemon) },
        workspace: options.workspace ?? new FakeWorkspace([]),
        launcher: new SimulatedLauncher(options.storage),
        clock: options.clock,
        loops: [loop],
        log: options.log ?? memoryLog(),
      });
      cleanups.push(() => daemon.stop());
      return daemon;
    },
  };
}

/** Advances the clock and waits until every daemon has made a pass of `loop` at the new time. */
export async function advanceLoop(
  clock: ManualClock,
  daemons: readonly DaemonHandle[],
  loop: DaemonType,
  ms: number,
): Promise<void> {
  const before = daemons.map((d) => d.passCount(loop));
  // Every loop must be asleep first: a loop that goes to sleep after the advance sleeps from the new time.
  await waitFor(() => clock.sleeping >= daemons.length, { what: "every loop to sleep" });
  clock.advance(ms);
  await waitFor(() => daemons.every((d, i) => d.passCount(loop) > before[i]!), { what: `a ${loop} pass` });
}
