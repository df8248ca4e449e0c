import { emptyWorkspace, type Workspace } from "@bosun/code-server";
import type { DaemonSettings } from "@bosun/instance";
import type { RunLauncher } from "@bosun/runs";
import { type DeploymentDataStorage, type DeploymentStorages, PROD_DEPLOYMENT } from "@bosun/storage";
import { type Clock, systemClock } from "./clock.ts";
import { type DaemonLogger, stderrLogger } from "./daemon-logger.ts";
import { type DaemonHandle, startDaemon } from "./start-daemon.ts";

/** How often the supervisor looks for deployments opened, closed or due for purging. */
const DEFAULT_SYNC_INTERVAL_MS = 10_000;

/** What `startDeploymentDaemons` needs besides what `prod`'s daemon was started with. */
export interface DeploymentDaemonsOptions {
  readonly deployments: DeploymentStorages;
  readonly settings: DaemonSettings;
  /**
   * The launcher of a branch deployment's runs: its workers must reach that deployment's storage (the
   * storage's child environment), so each deployment gets its own.
   */
  readonly launcherFor: (deployment: string, storage: DeploymentDataStorage) => Promise<RunLauncher>;
  /** A branch deployment's code locations; default none (they come from its locations file and agent). */
  readonly workspaceFor?: (deployment: string) => Workspace;
  readonly clock?: Clock;
  readonly log?: DaemonLogger;
  readonly syncIntervalMs?: number;
}

/** The supervisor of branch deployments' daemons. */
export interface DeploymentDaemons {
  /** Deployments served now, by name. */
  served(): readonly string[];
  /** One pass now: start daemons of newly open deployments, stop closed ones', purge those due. */
  sync(): Promise<void>;
  stop(): Promise<void>;
}

interface Served {
  readonly daemon: DaemonHandle;
  readonly launcher: RunLauncher;
}

/**
 * Serves every open branch deployment with the daemon's loops (run queue, schedules, sensors, run
 * monitor, retention of its runs and ticks), next to `prod`'s daemon: one `startDaemon` per deployment,
 * over its own storage and launcher. Each pass (every `syncIntervalMs`) starts the loops of deployments
 * opened since, stops those of deployments closed (a closed deployment is read-only: nothing runs in
 * it), and deletes closed deployments older than `retention.closed_deployments.purge_after_days`.
 */
export function startDeploymentDaemons(options: DeploymentDaemonsOptions): DeploymentDaemons {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? stderrLogger;
  const served = new Map<string, Served>();
  const stopping = new AbortController();
  let passing: Promise<void> = Promise.resolve();

  const stopServing = async (name: string) => {
    const entry = served.get(name);
    served.delete(name);
    if (!entry) return;
    await entry.daemon.stop();
    await entry.launcher.close();
  };

  const pass = async () => {
    const all = await options.deployments.deployments.listDeployments();
    const open = all.filter((d) => d.kind === "branch" && d.status === "open").map((d) => d.name);
    for (const name of [...served.keys()]) if (!open.includes(name)) await stopServing(name);
    for (const name of open) {
      if (served.has(name) || stopping.signal.aborted) continue;
      const storage = await options.deployments.forDeployment(name);
      const launcher = await options.launcherFor(name, storage);
      const daemon = await startDaemon({
        instance: { storage, daemon: options.settings },
        workspace: options.workspaceFor?.(name) ?? emptyWorkspace(),
        launcher,
        clock,
        log: (level, message) => log(level, `[deployment ${name}] ${message}`),
      });
      served.set(name, { daemon, launcher });
    }
    const purgeAfterMs = options.settings.retention.closedDeployments.purgeAfterMs;
    if (purgeAfterMs === null || !options.settings.retention.enabled) return;
    const due = await options.deployments.deployments.listClosedBefore(new Date(clock.now() - purgeAfterMs));
    for (const deployment of due) {
      if (deployment.name === PROD_DEPLOYMENT) continue;
      await options.deployments.releaseDeployment(deployment.name);
      await options.deployments.deployments.deleteDeployment(deployment.name);
      log("info", `deployment ${deployment.name} purged: closed since ${deployment.closedAt?.toISOString()}`);
    }
  };

  const sync = () => {
    // One pass at a time: the loop's and a caller's never interleave.
    passing = passing.then(pass, pass);
    return passing;
  };

  const loop = (async () => {
    while (!stopping.signal.aborted) {
      await sync().catch((error: unknown) =>
        log("error", `deployments pass failed: ${(error as Error).message}; trying again next pass`),
      );
      await clock
        .sleep(options.syncIntervalMs ?? DEFAULT_SYNC_INTERVAL_MS, stopping.signal)
        .catch(() => undefined);
    }
  })();

  return {
    served: () => [...served.keys()],
    sync,
    stop: async () => {
      stopping.abort();
      await loop;
      await passing.catch(() => undefined);
      await Promise.all([...served.keys()].map(stopServing));
    },
  };
}
