/**
 * Tags Bosun itself puts on runs (`bosun/...`): what launched a run, re-execution chains, queue settings.
 * What launched a run is read by @bosun/core's `launchedBy`; the labels here are what the run page shows
 * for each tag, and system-tags.test.ts checks that every tag Bosun writes has one.
 */
import {
  BACKFILL_TAG,
  PARENT_RUN_ID_TAG,
  ROOT_RUN_ID_TAG,
  SCHEDULE_NAME_TAG,
  SENSOR_NAME_TAG,
} from "@bosun/core";

export const SYSTEM_TAG_PREFIX = "bosun/";

/** Each system tag's meaning, in the order the run page lists them. */
export const SYSTEM_TAG_LABELS: Readonly<Record<string, string>> = {
  [SCHEDULE_NAME_TAG]: "Schedule",
  [SENSOR_NAME_TAG]: "Sensor",
  [BACKFILL_TAG]: "Backfill",
  "bosun/tick_id": "Tick",
  "bosun/run_key": "Run key",
  "bosun/partition": "Partition",
  [PARENT_RUN_ID_TAG]: "Re-executes run",
  [ROOT_RUN_ID_TAG]: "First run of the chain",
  "bosun/priority": "Queue priority",
  "bosun/max_retries": "Run retries allowed",
  "bosun/retry_number": "Run retry number",
};

export function isSystemTag(key: string): boolean {
  return key.startsWith(SYSTEM_TAG_PREFIX);
}
