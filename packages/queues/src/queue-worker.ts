/**
 * `bosun queue worker`: takes step tasks from its queues and runs each in a step process
 * (`bosun api execute-step`, with the code location's code), at most `concurrency` at once per queue, and
 * never more than a queue's width across every worker (the backend enforces it).
 *
 * A task's life in a worker: taken (the worker holds a lease, renewed by BullMQ while this process
 * lives: its heartbeat) → the event log is read, and a step that already succeeded, or whose attempt
 * already has an outcome, is not run again (at-least-once delivery made exactly-once in effect) → the
 * step process runs; it is stopped (SIGTERM, then SIGKILL) when its run becomes CANCELING → the task
 * completes. The step's result goes to the event log only. A worker killed outright drops its lease: the
 * task is taken again by another worker once the lease lapses, and its step processes die with it (they
 * exit when their standard input, a pipe from the worker, closes).
 */

import { type ChildProcess, spawn } from "node:child_process";
import { hostname } from "node:os";
import type { BosunCommand } from "@bosun/core";
import type { BosunStorage } from "@bosun/storage";
import type { Job, Worker } from "bullmq";
import type { QueueBackend } from "./queue-backend.ts";
import { readAttempt } from "./step-outcome.ts";
import type { StepTask } from "./step-task.ts";

/** Environment variable that makes `bosun api execute-step` exit when its standard input closes. */
export const EXIT_WITH_PARENT_ENV = "BOSUN_STEP_EXIT_WITH_PARENT";

/** What a queue worker needs. */
export interface QueueWorkerOptions {
  readonly queues: readonly string[];
  /** Steps run at once per queue by this worker. */
  readonly concurrency: number;
  readonly backend: QueueBackend;
  readonly storage: Pick<BosunStorage, "runs" | "events">;
  readonly bosunCommand: BosunCommand;
  /** Environment of step processes (database URL, BOSUN_HOME). */
  readonly childEnv: Readonly<Record<string, string>>;
  /** A silent worker's tasks are taken again after this long. */
  readonly leaseMs: number;
  readonly log?: (line: string) => void;
}

const CANCEL_CHECK_MS = 500;
const KILL_GRACE_MS = 5_000;

/** A running queue worker: `close` stops taking tasks and waits for the running steps. */
export interface QueueWorker {
  readonly workers: readonly Worker[];
  close(): Promise<void>;
}

/** Starts a worker on each of `options.queues` (see the file header). */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const identity = `${hostname()}-${process.pid}`;
  const workers: Worker[] = [];
  for (const name of options.queues) {
    // Opening the queue applies its width and rate limit before the first task is taken.
    await options.backend.queue(name);
    const worker = options.backend.worker(name, (job: Job<StepTask>) => runTask(job.data, options, log), {
      concurrency: options.concurrency,
      name: identity,
      lockDuration: options.leaseMs,
      // Look for lapsed leases often enough that a dead worker's task waits about one lease, not two.
      stalledInterval: Math.max(1_000, Math.round(options.leaseMs / 2)),
      // A task whose workers keep dying is taken again, not failed: the step's own retries decide.
      maxStalledCount: 1_000,
    });
    worker.on("error", (error) => log(`queue ${name}: ${error.message}`));
    await worker.waitUntilReady();
    workers.push(worker);
    log(`queue worker ${identity} serves queue \`${name}\` (concurrency ${options.concurrency})`);
  }
  return {
    workers,
    close: async () => {
      await Promise.all(workers.map((worker) => worker.close()));
    },
  };
}

/** Runs one step task, unless the event log says it must not run. */
async function runTask(
  task: StepTask,
  options: QueueWorkerOptions,
  log: (line: string) => void,
): Promise<string> {
  const { storage } = options;
  const record = await readAttempt(storage.events, task.runId, task.stepKey, task.retryNumber);
  if (record.succeeded || record.outcome) {
    log(`step ${task.stepKey} of run ${task.runId} already finished: not run again`);
    return "already finished";
  }
  const run = await storage.runs.getRun(task.runId);
  if (!run || run.status !== "STARTED") {
    log(`step ${task.stepKey} of run ${task.runId} not run: the run is ${run?.status ?? "gone"}`);
    return "run not started";
  }
  const child = spawnStep(task, options);
  const stopWhenCanceled = setInterval(async () => {
    const current = await storage.runs.getRun(task.runId).catch(() => undefined);
    if (current && current.status !== "STARTED") stop(child);
  }, CANCEL_CHECK_MS);
  try {
    const code = await new Promise<number | null>((resolve) =>
      child.once("exit", (exitCode) => resolve(exitCode)),
    );
    return `exit ${code}`;
  } finally {
    clearInterval(stopWhenCanceled);
  }
}

function spawnStep(task: StepTask, options: QueueWorkerOptions): ChildProcess {
  const originArgs = "file" in task.origin ? ["-f", task.origin.file] : ["-m", task.origin.module];
  const child = spawn(
    options.bosunCommand.file,
    [
      ...options.bosunCommand.args,
      "api",
      "execute-step",
      task.runId,
      "--step",
      task.stepKey,
      "--retry-number",
      String(task.retryNumber),
      ...originArgs,
    ],
    {
      env: { ...process.env, ...options.childEnv, [EXIT_WITH_PARENT_ENV]: "1" },
      // stdin is a pipe the step process watches: when this worker dies, the step process follows.
      stdio: ["pipe", "inherit", "inherit"],
    },
  );
  return child;
}

function stop(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null || child.killed) return;
  child.kill("SIGTERM");
  setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }, KILL_GRACE_MS).unref();
}
