import type { JsonValue } from "./run.ts";

/** Tags copied onto re-executions so the chain can be followed. */
export const PARENT_RUN_ID_TAG = "bosun/parent_run_id";
/** Tag holding the first run of a re-execution chain. */
export const ROOT_RUN_ID_TAG = "bosun/root_run_id";
/** Tag holding the partition key a run targets. */
export const PARTITION_TAG = "bosun/partition";
/** Tag on runs a schedule requested: the schedule's name. */
export const SCHEDULE_NAME_TAG = "bosun/schedule_name";
/** Tag on runs a sensor requested: the sensor's name. */
export const SENSOR_NAME_TAG = "bosun/sensor_name";
/** Tag on runs of a backfill: its id (written by the daemon's backfill loop). */
export const BACKFILL_TAG = "bosun/backfill";

/** Tags that cannot be stored: an empty or too long key. */
export class InvalidTagsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidTagsError";
  }
}

/** Run tags are strings; structured values (such as `bosun-k8s/config`) are stored as JSON text. */
export function stringifyTags(tags: Readonly<Record<string, JsonValue>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags ?? {})) {
    if (key.length === 0 || key.length > 255)
      throw new InvalidTagsError(`tag key ${JSON.stringify(key)} must be 1 to 255 characters`);
    out[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return out;
}
