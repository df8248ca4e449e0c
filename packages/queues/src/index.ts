/**
 * @bosun/queues: step queues on BullMQ (PostgreSQL backend on Bosun's own database by default, Redis as
 * an option): the `queue` executor of run workers and `bosun queue worker`. See docs/step-queues.md.
 *
 * May depend on: @bosun/core, bosun, @bosun/storage, @bosun/instance, @bosun/engine, @bosun/code-server,
 * @bosun/runs (LAYERS in .dependency-cruiser.cjs).
 * Each `//` heading is followed by a blank line: Biome then sorts exports within a section, not across.
 */

// Tags: a step's queue and priority

export {
  DEFAULT_QUEUE,
  QUEUE_PRIORITY_TAG,
  QUEUE_TAG,
  QueueTagError,
  queueOfOp,
  RUN_PRIORITY_TAG,
  stepPriority,
  toBullPriority,
} from "./queue-tags.ts";

// The backend (PostgreSQL or Redis)

export {
  openQueueBackend,
  QUEUE_SCHEMA,
  type QueueBackend,
  QueueBackendUnreachableError,
  QueuePasswordMissingError,
} from "./queue-backend.ts";

// The run worker's side: the queue executor

export {
  QUEUE_EXECUTOR_NAME,
  queueExecutorConfigSchema,
  queueExecutorFactory,
  UnknownQueueError,
} from "./queue-executor.ts";
export {
  QueueStepLauncher,
  type QueueStepLauncherOptions,
  type StepPlacement,
} from "./queue-step-launcher.ts";
export { type StepTask, stepTaskId } from "./step-task.ts";

// The queue worker's side

export {
  EXIT_WITH_PARENT_ENV,
  type QueueWorker,
  type QueueWorkerOptions,
  startQueueWorker,
} from "./queue-worker.ts";
export { type AttemptRecord, readAttempt } from "./step-outcome.ts";
