import { isTerminalRunStatus, type JsonValue, newEvent } from "@bosun/core";
import type { LauncherInfo, RunEnding, RunObserver, UnfinishedRunStatus } from "@bosun/runs";
import type { DaemonResources } from "./daemon-resources.ts";

/**
 * What the run monitor gives the launcher to report what it learns as it happens (`RunLauncher.observe`):
 * it stores each report at once, rather than at the next poll, so a Kubernetes pod that cannot start
 * fails its run within seconds, and a local worker killed with -9 within moments. Endings go through the daemon's one `RunEnder`.
 */
export class LauncherObserver implements RunObserver {
  constructor(private readonly resources: Pick<DaemonResources, "storage" | "clock" | "runEnder">) {}

  async warning(runId: string, message: string, detail: Readonly<Record<string, JsonValue>>): Promise<void> {
    const { storage, clock } = this.resources;
    const run = await storage.runs.getRun(runId);
    // A warning about a pod of a finished run (its Job being cleaned up) tells its owner nothing.
    if (!run || isTerminalRunStatus(run.status)) return;
    await storage.events.appendEvents([
      {
        ...newEvent(runId, "ENGINE_EVENT", { level: "warning", message, data: { detail } }),
        timestamp: clock.now(),
      },
    ]);
  }

  async launcherInfoChanged(runId: string, info: LauncherInfo): Promise<void> {
    // Also after the run ended: the run page shows the pods' final states.
    await this.resources.storage.runs.mergeLauncherInfo(runId, info);
  }

  workerEnded(
    runId: string,
    describe: (status: UnfinishedRunStatus) => Promise<RunEnding>,
    launchAttempt?: number,
  ): Promise<boolean> {
    return this.resources.runEnder.endUnfinishedRun(runId, describe, launchAttempt);
  }
}
