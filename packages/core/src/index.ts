/** @bosun/core: the vocabulary every Bosun package shares (JSON values, runs and their statuses, events, failures, tags). */

export {
  formatFailure,
  type SerializableFailure,
  toSerializableFailure,
} from "./errors/serializable-failure.ts";
export {
  EVENT_TYPES,
  type EventDataByType,
  type EventOf,
  type EventType,
  type LogLevel,
  type Metadata,
  type MetadataValue,
  type NewEvent,
  RUN_STATUS_BY_EVENT,
  type StoredEvent,
} from "./events/event.ts";
export { newEvent } from "./events/new-event.ts";
export type { BosunCommand } from "./process/bosun-command.ts";
export {
  IN_PROGRESS_RUN_STATUSES,
  isTerminalRunStatus,
  type JsonValue,
  type NewRun,
  RUN_STATUSES,
  type RunRecord,
  type RunStatus,
  type StepSelection,
  TERMINAL_RUN_STATUSES,
} from "./runs/run.ts";
export {
  InvalidTagsError,
  PARENT_RUN_ID_TAG,
  PARTITION_TAG,
  parseTagsJson,
  ROOT_RUN_ID_TAG,
  stringifyTags,
} from "./runs/run-tags.ts";
export type { OutputBlobStorage } from "./storage/output-blob-storage.ts";
export { didYouMean, nearest } from "./text/nearest.ts";
