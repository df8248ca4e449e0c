/**
 * The queue executor's StepLauncher, in the run worker: each step attempt becomes a task on its queue,
 * and the attempt's outcome is read from the event log, never from the queue.
 *
 * An attempt's life: enqueued (waiting, ordered by priority, then arrival) → taken by a queue worker
 * (active; the worker's lease is renewed while it lives, and a killed worker's task is taken again once
 * the lease lapses) → the step's own outcome event (STEP_SUCCESS, STEP_RETRY, STEP_FAILURE) ends it.
 * Side exits: no live worker serves the queue for `no_worker_timeout_seconds` (the task is removed and
 * the step fails with that reason); the task ends in the queue without an outcome event (failure naming
 * the queue's reason); the run is canceled (`interrupt`: waiting tasks are removed, and workers stop
 * running steps of a CANCELING run on their own).
 */

import type { RunRecord, SerializableFailure } from "@bosun/core";
import { newEvent } from "@bosun/core";
import {
  type CodeOrigin,
  type EventWriter,
  launcherStepFailureEvent,
  type StepAttemptResult,
  type StepLauncher,
} from "@bosun/engine";
import type { EventLogStorage } from "@bosun/storage";
import type { Queue } from "bullmq";
import type { QueueBackend } from "./queue-backend.ts";
import { toBullPriority } from "./queue-tags.ts";
import { readAttempt } from "./step-outcome.ts";
import { type StepTask, stepTaskId } from "./step-task.ts";

/** Where each step of a run goes: its queue and its Bosun priority (higher first). */
export interface StepPlacement {
  readonly queue: string;
  readonly priority: number;
}

/** What a `QueueStepLauncher` needs. */
export interface QueueStepLauncherOptions {
  readonly run: RunRecord;
  readonly origin: CodeOrigin;
  readonly placements: ReadonlyMap<string, StepPlacement>;
  readonly backend: QueueBackend;
  readonly events: EventWriter;
  readonly eventLog: Pick<EventLogStorage, "getEvents">;
  /** Steps of this run in flight at once (the queues' widths cap them across runs). */
  readonly maxConcurrent: number;
  /** How often the event log and the task are looked at while a step is waiting or running. Default 200 ms (the task's state: every fifth time). */
  readonly pollMs?: number;
  readonly onClose?: () => Promise<void>;
}

const WORKER_CHECK_MS = 1_000;
/** The task's state is looked at on every this many polls of the event log. */
const TASK_CHECK_EVERY = 5;
/** After a cancellation, how long a running step has to report its own interruption. */
const INTERRUPT_GRACE_MS = 15_000;

/** The queue executor's `StepLauncher` (see the file header). */
export class QueueStepLauncher implements StepLauncher {
  readonly maxConcurrent: number;
  private interrupted = false;
  private readonly waitingTasks = new Map<string, Queue>();
  private readonly workerCounts = new Map<string, { at: number; count: Promise<number> }>();

  constructor(private readonly options: QueueStepLauncherOptions) {
    this.maxConcurrent = options.maxConcurrent;
  }

  async launch(stepKey: string, retryNumber: number): Promise<StepAttemptResult> {
    const { run, origin, backend, events } = this.options;
    if (this.interrupted) return this.fail(stepKey, retryNumber, "the run is being canceled", true);
    const placement = this.options.placements.get(stepKey);
    if (!placement) return this.fail(stepKey, retryNumber, "it has no queue placement");
    const task: StepTask = { runId: run.runId, stepKey, retryNumber, origin };
    const taskId = stepTaskId(task);
    let queue: Queue;
    try {
      queue = await backend.queue(placement.queue);
      await queue.add("step", task, {
        jobId: taskId,
        priority: toBullPriority(placement.priority),
        removeOnComplete: true,
        removeOnFail: true,
      });
    } catch (error) {
      return this.fail(
        stepKey,
        retryNumber,
        `it could not be put on queue \`${placement.queue}\`: ${(error as Error).message}`,
      );
    }
    this.waitingTasks.set(taskId, queue);
    events.emit(
      newEvent(run.runId, "ENGINE_EVENT", {
        stepKey,
        level: "debug",
        message: `Step "${stepKey}" (attempt ${retryNumber + 1}) waits on queue \`${placement.queue}\` with priority ${placement.priority}`,
        data: { detail: { queue: placement.queue, priority: placement.priority } },
      }),
    );
    try {
      return await this.follow(stepKey, retryNumber, placement.queue, queue, taskId);
    } finally {
      this.waitingTasks.delete(taskId);
    }
  }

  /** Waits for the attempt's outcome in the event log, watching the task's state and the queue's workers. */
  private async follow(
    stepKey: string,
    retryNumber: number,
    queueName: string,
    queue: Queue,
    taskId: string,
  ): Promise<StepAttemptResult> {
    const { run, eventLog, backend, events } = this.options;
    const pollMs = this.options.pollMs ?? 200;
    const { noWorkerTimeoutMs } = backend.definition(queueName);
    let noWorkerSince: number | null = null;
    let announced = false;
    let interruptedAt: number | null = null;
    let polls = 0;
    for (;;) {
      const record = await readAttempt(eventLog, run.runId, stepKey, retryNumber);
      const outcome = record.outcome;
      if (outcome?.type === "STEP_SUCCESS") return { outcome: "success" };
      if (outcome?.type === "STEP_RETRY" && !this.interrupted)
        return { outcome: "retry", delayMs: outcome.data.delayMs };
      if (outcome)
        return this.interrupted ? { outcome: "failure", interrupted: true } : { outcome: "failure" };
      // The event log is read every poll; the task's state, a costlier question, about once a second.
      polls += 1;
      if (polls % TASK_CHECK_EVERY !== 1 && !this.interrupted) {
        await new Promise((resolve) => setTimeout(resolve, pollMs));
        continue;
      }
      const job = await queue.getJob(taskId);
      const state = job ? await job.getState() : "missing";
      if (state === "missing" || state === "completed" || state === "failed" || state === "unknown") {
        // Gone from the queue: a last look at the event log, whose writes may trail the task's end.
        await new Promise((resolve) => setTimeout(resolve, pollMs * 3));
        const last = await readAttempt(eventLog, run.runId, stepKey, retryNumber);
        if (last.outcome) continue;
        if (this.interrupted) return this.fail(stepKey, retryNumber, "the run is being canceled", true);
        const reason = job?.failedReason ? `: ${job.failedReason}` : "";
        return this.fail(
          stepKey,
          retryNumber,
          `its task left queue \`${queueName}\` (${state}) without the step reporting an outcome${reason}`,
        );
      }
      if (this.interrupted) {
        interruptedAt ??= Date.now();
        if (state !== "active") {
          await job?.remove().catch(() => undefined);
          return this.fail(
            stepKey,
            retryNumber,
            `removed from queue \`${queueName}\` because the run is being canceled`,
            true,
          );
        }
        // Running: its worker sees the run CANCELING and stops the step, which then reports itself.
        if (Date.now() - interruptedAt > INTERRUPT_GRACE_MS)
          return this.fail(stepKey, retryNumber, "the run is being canceled", true);
      } else if (state !== "active") {
        const workers = await this.workerCount(queueName, queue);
        if (workers > 0) noWorkerSince = null;
        else {
          noWorkerSince ??= Date.now();
          if (!announced) {
            announced = true;
            events.emit(
              newEvent(run.runId, "ENGINE_EVENT", {
                stepKey,
                level: "warning",
                message: `waiting: queue \`${queueName}\` has no workers`,
                data: { detail: { queue: queueName, noWorkerTimeoutSeconds: noWorkerTimeoutMs / 1000 } },
              }),
            );
          }
          if (Date.now() - noWorkerSince >= noWorkerTimeoutMs) {
            await job?.remove().catch(() => undefined);
            // A worker may have taken it in the meantime: its outcome wins.
            if (
              (await queue.getJob(taskId)) &&
              (await readAttempt(eventLog, run.runId, stepKey, retryNumber)).started
            )
              continue;
            return this.fail(
              stepKey,
              retryNumber,
              `queue \`${queueName}\` has no workers (waited ${Math.round(noWorkerTimeoutMs / 1000)} s, queues.${queueName}.no_worker_timeout_seconds)`,
            );
          }
        }
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** Live workers of a queue, asked at most once a second per queue whatever the number of waiting steps. */
  private workerCount(name: string, queue: Queue): Promise<number> {
    const cached = this.workerCounts.get(name);
    if (cached && Date.now() - cached.at < WORKER_CHECK_MS) return cached.count;
    const count = queue.getWorkersCount().catch(() => 1);
    this.workerCounts.set(name, { at: Date.now(), count });
    return count;
  }

  async interrupt(): Promise<void> {
    this.interrupted = true;
    // Waiting tasks leave their queues now; `remove` refuses an active (locked) task, which its worker stops.
    await Promise.all(
      [...this.waitingTasks].map(async ([taskId, queue]) => {
        const job = await queue.getJob(taskId).catch(() => undefined);
        await job?.remove().catch(() => undefined);
      }),
    );
  }

  async close(): Promise<void> {
    await this.options.events.flush().catch(() => undefined);
    await this.options.onClose?.();
  }

  private async fail(
    stepKey: string,
    retryNumber: number,
    reason: string,
    interrupted = false,
  ): Promise<StepAttemptResult> {
    const { events, run } = this.options;
    const failure: SerializableFailure = {
      className: "QueueStepError",
      message: reason,
      stack: null,
      cause: null,
    };
    events.emit(
      launcherStepFailureEvent({ runId: run.runId, stepKey, retryNumber, failure, summary: reason }),
    );
    await events.flush();
    return interrupted ? { outcome: "failure", interrupted: true } : { outcome: "failure" };
  }
}
