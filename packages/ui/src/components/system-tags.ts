/**
 * Tags Bosun itself puts on runs (`bosun/...`): what launched a run, re-execution chains, queue settings.
 * Written out here because the UI bundle takes no code from `bosun`; system-tags.test.ts checks the
 * names against Bosun's own constants.
 */
export const SYSTEM_TAG_PREFIX = "bosun/";

export const SCHEDULE_NAME_TAG = "bosun/schedule_name";
export const SENSOR_NAME_TAG = "bosun/sensor_name";
/** No Bosun component writes it yet: recognised so that runs a backfill tool tags read as such. */
export const BACKFILL_TAG = "bosun/backfill";
export const PARENT_RUN_ID_TAG = "bosun/parent_run_id";
export const ROOT_RUN_ID_TAG = "bosun/root_run_id";

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

/** What started a run, read from its system tags. */
export type LaunchedBy =
  | { readonly kind: "schedule"; readonly name: string }
  | { readonly kind: "sensor"; readonly name: string }
  | { readonly kind: "backfill"; readonly id: string }
  | { readonly kind: "re-execution"; readonly parentRunId: string }
  | { readonly kind: "user" };

export function launchedBy(tags: Readonly<Record<string, unknown>>): LaunchedBy {
  const text = (key: string) => (typeof tags[key] === "string" && tags[key] !== "" ? tags[key] : null);
  const schedule = text(SCHEDULE_NAME_TAG);
  if (schedule) return { kind: "schedule", name: schedule };
  const sensor = text(SENSOR_NAME_TAG);
  if (sensor) return { kind: "sensor", name: sensor };
  const backfill = text(BACKFILL_TAG);
  if (backfill) return { kind: "backfill", id: backfill };
  const parent = text(PARENT_RUN_ID_TAG);
  if (parent) return { kind: "re-execution", parentRunId: parent };
  // Launchpad, materialize buttons, the API and the command line do not tag their runs.
  return { kind: "user" };
}
