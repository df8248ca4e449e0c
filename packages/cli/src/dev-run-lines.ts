import {
  IN_PROGRESS_RUN_STATUSES,
  type LaunchedBy,
  launchedBy,
  type RunRecord,
  type SerializableFailure,
  type StoredEvent,
} from "@bosun/core";
import type { BosunStorage, Subscription } from "@bosun/storage";
import { AD_HOC_ASSET_JOB } from "bosun";

/** What `followRunsInTerminal` needs: where runs are stored, how to link one, and where lines go. */
export interface RunLinesOptions {
  /** The run's page in the UI. */
  readonly runUrl: (runId: string) => string;
  readonly print: (line: string) => void;
}

/**
 * `bosun dev`'s one line per run start, end and failure, with the run's URL, for the runs of the
 * instance's queue (the UI, the API, schedules, sensors, re-executions and retries all queue their
 * runs).
 *
 * It follows runs as the rest of Bosun does, through storage's notifications: the queue watch says when
 * a run was queued or ended, and each queued or in-progress run is then followed by its event watch
 * until its end event, which gives the start, the end and the step that failed. Runs already in progress
 * when it starts are followed too. Resolves once it follows them; `close()` ends every watch.
 */
export async function followRunsInTerminal(
  storage: BosunStorage,
  options: RunLinesOptions,
): Promise<Subscription> {
  const followed = new Map<string, Promise<Subscription | null>>();
  let closed = false;

  const follow = (run: RunRecord): Promise<Subscription | null> => {
    const lines = new RunLines(run, options);
    let subscription: Subscription | null = null;
    let ended = false;
    return storage.events
      .watchEvents(run.runId, 0, (events) => {
        if (ended) return;
        for (const event of events) {
          if (lines.take(event)) {
            ended = true;
            void subscription?.close();
            return;
          }
        }
      })
      .then((opened) => {
        subscription = opened;
        if (ended || closed) void opened.close();
        return opened;
      });
  };

  // Notifications may be coalesced and come while a look is under way: one look at a time, and one
  // more after it when something was notified meanwhile.
  let looking: Promise<void> | null = null;
  let again = false;
  const look = async (): Promise<void> => {
    const { runs } = await storage.runs.listRuns(
      { statuses: ["QUEUED", ...IN_PROGRESS_RUN_STATUSES] },
      { limit: 1_000 },
    );
    // Oldest first, so that runs queued together print in the order they were queued.
    for (const run of [...runs].reverse()) {
      if (closed || followed.has(run.runId)) continue;
      followed.set(
        run.runId,
        follow(run).catch(() => {
          // Its watch could not open (a lost connection): the next notification looks again.
          followed.delete(run.runId);
          return null;
        }),
      );
    }
  };
  const wake = () => {
    if (closed) return;
    if (looking) {
      again = true;
      return;
    }
    looking = (async () => {
      do {
        again = false;
        await look().catch(() => undefined);
      } while (again && !closed);
      looking = null;
    })();
  };

  const queueWatch = await storage.runQueue.watchQueue(wake);
  wake();
  await looking;
  return {
    close: async () => {
      closed = true;
      await queueWatch.close();
      await looking;
      const subscriptions = await Promise.all(followed.values());
      await Promise.all(subscriptions.map((subscription) => subscription?.close()));
    },
  };
}

/** The lines of one run, from its events in order. */
class RunLines {
  private startedAt: number | null = null;
  /** The first step failure (a retried attempt is a STEP_RETRY, so each one is final): what a failure line names. */
  private failedStep: { readonly stepKey: string; readonly failure: SerializableFailure } | null = null;

  constructor(
    private readonly run: RunRecord,
    private readonly options: RunLinesOptions,
  ) {}

  /** Prints what the event means; true once the run has ended. */
  take(event: StoredEvent): boolean {
    switch (event.type) {
      case "RUN_START":
        this.startedAt = event.timestamp;
        this.print(`started (launched by ${describeLaunchedBy(launchedBy(this.run.tags))})`);
        return false;
      case "STEP_FAILURE":
        if (event.stepKey && !this.failedStep)
          this.failedStep = { stepKey: event.stepKey, failure: event.data.failure };
        return false;
      case "RUN_SUCCESS":
        this.print(`SUCCESS${this.took(event)}`);
        return true;
      case "RUN_FAILURE": {
        const cause = this.failedStep
          ? `step ${this.failedStep.stepKey} failed: ${firstLine(this.failedStep.failure.message)}`
          : firstLine(event.data.failure?.message ?? event.data.reason);
        this.print(`FAILURE${this.took(event)}: ${cause}`);
        return true;
      }
      case "RUN_CANCELED":
        this.print(`CANCELED${this.took(event)}${event.data.reason ? `: ${event.data.reason}` : ""}`);
        return true;
      default:
        return false;
    }
  }

  private took(end: StoredEvent): string {
    if (this.startedAt === null) return "";
    return ` in ${((end.timestamp - this.startedAt) / 1000).toFixed(1)}s`;
  }

  private print(what: string): void {
    const { runId } = this.run;
    this.options.print(
      `run ${runId.slice(0, 8)} ${runTarget(this.run)} ${what} ${this.options.runUrl(runId)}`,
    );
  }
}

/** The job, or the assets of an asset materialization (whose job is internal, never shown). */
function runTarget(run: RunRecord): string {
  if (run.jobName === AD_HOC_ASSET_JOB && run.assetSelection)
    return `materialize ${run.assetSelection.join(", ")}`;
  return run.jobName;
}

/** "schedule daily", "re-execution of 3f2a9c1e", "a user". */
export function describeLaunchedBy(by: LaunchedBy): string {
  switch (by.kind) {
    case "schedule":
      return `schedule ${by.name}`;
    case "sensor":
      return `sensor ${by.name}`;
    case "backfill":
      return `backfill ${by.id}`;
    case "re-execution":
      return `re-execution of ${by.parentRunId.slice(0, 8)}`;
    case "user":
      return "a user";
  }
}

function firstLine(text: string): string {
  return text.split("\n", 1)[0]!.trim();
}
