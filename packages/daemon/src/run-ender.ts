import type { NewEvent, RunRecord } from "@bosun/core";
import { newEvent } from "@bosun/core";
import { type RunEnding, runEvent, runFailureEvent, type UnfinishedRunStatus } from "@bosun/runs";
import type { BosunStorage } from "@bosun/storage";
import type { Clock } from "./clock.ts";
import type { DaemonLogger } from "./daemon-logger.ts";

/** A run's end as the daemon writes it: a launcher's `RunEnding`, with the error behind a failure when there is one. */
export interface DaemonRunEnding extends RunEnding {
  readonly error?: unknown;
}

const UNFINISHED: ReadonlySet<string> = new Set<UnfinishedRunStatus>(["STARTING", "STARTED", "CANCELING"]);

/**
 * The daemon's one writer of a run's end. Outside a run's own worker (which writes its RUN_SUCCESS,
 * RUN_FAILURE or RUN_CANCELED), every end of a run that was admitted goes through here: the run
 * monitor's verdicts (start timeout, worker gone, heartbeats, cancel timeout), the endings the launcher
 * reports (a Kubernetes pod that cannot start, a Job that failed or vanished), and the run coordinator's
 * launches that failed. Launchers never write to storage.
 *
 * Why one place: the run monitor's poll and the launcher's report often see the same dead worker
 * within moments. Writes for one run are serialized here and each re-reads the run's status first, so
 * a run gets one end, with the reason of whoever saw it first; a verdict about a run whose status moved
 * since it was read (the worker started, or ended by itself) is dropped.
 */
export class RunEnder {
  /** Per run, so two endings of one run never interleave. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly storage: Pick<BosunStorage, "runs" | "events" | "launches">,
    private readonly clock: Clock,
    private readonly log: DaemonLogger,
  ) {}

  /**
   * Ends `run` as `ending` says, unless its status is no longer the one `run` was read with (the
   * verdict was about that status). Resolves to whether it wrote the end.
   */
  endRun(run: Pick<RunRecord, "runId" | "status">, ending: DaemonRunEnding): Promise<boolean> {
    return this.serially(run.runId, async () => {
      if ((await this.storage.runs.getRun(run.runId))?.status !== run.status) return false;
      await this.write(run.runId, ending);
      return true;
    });
  }

  /**
   * Ends a run that has no worker (the launcher reports it ended or unable to run, or the launch
   * failed), as `describe` says for the run's status, unless the run already ended. With
   * `launchAttempt`, only while it is the run's current launch attempt: what happened to the worker of
   * an attempt a daemon has since superseded says nothing about the run. Resolves to whether it wrote
   * the end.
   */
  endUnfinishedRun(
    runId: string,
    describe: (status: UnfinishedRunStatus) => Promise<DaemonRunEnding>,
    launchAttempt?: number,
  ): Promise<boolean> {
    return this.serially(runId, async () => {
      const run = await this.storage.runs.getRun(runId);
      if (!run || !UNFINISHED.has(run.status)) return false;
      if (
        launchAttempt !== undefined &&
        (await this.storage.launches.currentAttempt(runId)) !== launchAttempt
      )
        return false;
      const ending = await describe(run.status as UnfinishedRunStatus);
      // Describing may take a while (a pod's log is read): the worker may have ended the run meanwhile.
      if ((await this.storage.runs.getRun(runId))?.status !== run.status) return false;
      await this.write(runId, ending);
      return true;
    });
  }

  /** The report (if any) and the end, in one batch, so the run page never shows one without the other. */
  private async write(runId: string, ending: DaemonRunEnding): Promise<void> {
    const at = this.clock.now();
    const events: NewEvent[] = [];
    if (ending.report)
      events.push({
        ...newEvent(runId, "ENGINE_EVENT", {
          level: "error",
          message: ending.report.message,
          data: { detail: ending.report.detail },
        }),
        timestamp: at,
      });
    events.push(
      ending.status === "FAILURE"
        ? runFailureEvent(runId, ending.reason, {
            at,
            ...(ending.error !== undefined ? { error: ending.error } : {}),
          })
        : runEvent(runId, "RUN_CANCELED", ending.reason, at),
    );
    await this.storage.events.appendEvents(events);
    this.log("warning", `run ${runId}: ${ending.reason.split("\n")[0]}`);
  }

  private serially<T>(runId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(runId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.queues.set(runId, settled);
    // Forget idle runs, so a long-lived daemon keeps no entry per run it ever ended.
    void settled.then(() => {
      if (this.queues.get(runId) === settled) this.queues.delete(runId);
    });
    return next;
  }
}
