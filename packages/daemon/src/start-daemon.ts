import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Workspace } from "@bosun/code-server";
import type { DaemonSettings } from "@bosun/instance";
import { type RunLauncher, RunRequests, workspaceLocations } from "@bosun/runs";
import type { BosunStorage, DaemonType } from "@bosun/storage";
import { type Clock, systemClock } from "./clock.ts";
import { type DaemonLogger, stderrLogger } from "./daemon-logger.ts";
import type { DaemonLoop } from "./daemon-loop.ts";
import type { DaemonResources } from "./daemon-resources.ts";
import { LoopRunner } from "./loop-runner.ts";
import { RetentionDaemon } from "./retention-daemon.ts";
import { RunEnder } from "./run-ender.ts";
import { RunMonitor } from "./run-monitor.ts";
import { RunQueueCoordinator } from "./run-queue-coordinator.ts";
import { Scheduler } from "./scheduler.ts";
import { SensorDaemon } from "./sensor-daemon.ts";

/** Every loop of the daemon. */
export const DAEMON_TYPES: readonly DaemonType[] = [
  "RUN_QUEUE",
  "SCHEDULER",
  "SENSOR",
  "RUN_MONITOR",
  "RETENTION",
];

/**
 * What `startDaemon` needs: storage and settings, workspace and launcher; clock, loops, id and logger can be
 * injected.
 */
export interface StartDaemonOptions {
  /** Storage and the daemon's `bosun.yaml` sections; an `Instance` fits. */
  readonly instance: { readonly storage: BosunStorage; readonly daemon: DaemonSettings };
  readonly workspace: Workspace;
  readonly launcher: RunLauncher;
  /** Default: the real clock. Tests pass a `ManualClock`. */
  readonly clock?: Clock;
  /** Which loops run. Default: all, less those `bosun.yaml` disables (scheduler, sensors, run monitoring, retention). */
  readonly loops?: readonly DaemonType[];
  /** Default: a fresh id naming the host and process. */
  readonly daemonId?: string;
  /** Default: lines on stderr. */
  readonly log?: DaemonLogger;
}

/** A running daemon: its id and loops, a way to run one pass of a loop now, and `stop`. */
export interface DaemonHandle {
  readonly daemonId: string;
  /** The loops that run. */
  readonly loops: readonly DaemonType[];
  /** One pass of a loop now (after the pass in progress), with its heartbeat. For tests and tools. */
  runOnce(loop: DaemonType): Promise<void>;
  /** Passes a loop has completed. */
  passCount(loop: DaemonType): number;
  /** Stops every loop after its current pass. Does not stop run workers: they carry on and report on their own. */
  stop(): Promise<void>;
}

/**
 * Starts the daemon's loops (run queue coordinator, scheduler, sensors, run monitor, retention) over one shared
 * resources object. `bosun daemon run` and `bosun dev` both use it.
 *
 * @example
 * const daemon = await startDaemon({ instance, workspace, launcher: new DefaultRunLauncher({ ... }) });
 * process.once("SIGTERM", () => void daemon.stop());
 */
export async function startDaemon(options: StartDaemonOptions): Promise<DaemonHandle> {
  const settings = options.instance.daemon;
  const storage = options.instance.storage;
  const clock = options.clock ?? systemClock;
  const log = options.log ?? stderrLogger;
  const resources: DaemonResources = {
    storage,
    workspace: options.workspace,
    runRequests: new RunRequests({
      storage: options.instance.storage,
      locations: workspaceLocations(options.workspace),
    }),
    launcher: options.launcher,
    settings,
    clock,
    daemonId: options.daemonId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    log,
    runEnder: new RunEnder(storage, clock, log),
  };
  const wanted =
    options.loops ??
    DAEMON_TYPES.filter(
      (type) =>
        (type !== "SCHEDULER" || settings.scheduler.enabled) &&
        (type !== "SENSOR" || settings.sensors.enabled) &&
        (type !== "RUN_MONITOR" || settings.runMonitoring.enabled) &&
        (type !== "RETENTION" || settings.retention.enabled),
    );
  const runners = new Map<DaemonType, LoopRunner>();
  for (const type of DAEMON_TYPES) {
    if (wanted.includes(type)) runners.set(type, new LoopRunner(createLoop(type, resources), resources));
  }
  const started: LoopRunner[] = [];
  try {
    for (const runner of runners.values()) {
      await runner.start();
      started.push(runner);
    }
  } catch (error) {
    await Promise.all(started.map((runner) => runner.stop()));
    throw error;
  }
  resources.log("info", `daemon ${resources.daemonId} started: ${[...runners.keys()].join(", ")}`);

  const runnerOf = (type: DaemonType) => {
    const runner = runners.get(type);
    if (!runner) throw new Error(`the ${type} loop is not running in this daemon`);
    return runner;
  };
  let stopping: Promise<void> | null = null;
  return {
    daemonId: resources.daemonId,
    loops: [...runners.keys()],
    runOnce: (type) => runnerOf(type).runOnce(),
    passCount: (type) => runnerOf(type).passCount,
    stop: () => {
      stopping ??= (async () => {
        await Promise.all([...runners.values()].map((runner) => runner.stop()));
        resources.log("info", `daemon ${resources.daemonId} stopped`);
      })();
      return stopping;
    },
  };
}

function createLoop(type: DaemonType, resources: DaemonResources): DaemonLoop {
  switch (type) {
    case "RUN_QUEUE":
      return new RunQueueCoordinator(resources);
    case "SCHEDULER":
      return new Scheduler(resources);
    case "SENSOR":
      return new SensorDaemon(resources);
    case "RUN_MONITOR":
      return new RunMonitor(resources);
    case "RETENTION":
      return new RetentionDaemon(resources);
  }
}
