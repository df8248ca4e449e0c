import { BACKFILL_TAG, PARENT_RUN_ID_TAG, SCHEDULE_NAME_TAG, SENSOR_NAME_TAG } from "./run-tags.ts";

/** What started a run, read from its system tags (`launchedBy`). */
export type LaunchedBy =
  | { readonly kind: "schedule"; readonly name: string }
  | { readonly kind: "sensor"; readonly name: string }
  | { readonly kind: "backfill"; readonly id: string }
  | { readonly kind: "re-execution"; readonly parentRunId: string }
  | { readonly kind: "user" };

/**
 * What started a run, from its `bosun/*` tags: a schedule, a sensor, a backfill, a re-execution of
 * another run, or else a user (the launchpad, a materialize button, the API and the command line do not
 * tag their runs). The one reading of these tags: the UI's "Launched by" and `bosun dev`'s run lines
 * both use it.
 *
 * @example
 * launchedBy({ "bosun/schedule_name": "daily", team: "data" }); // { kind: "schedule", name: "daily" }
 */
export function launchedBy(tags: Readonly<Record<string, unknown>>): LaunchedBy {
  const text = (key: string) => {
    const value = tags[key];
    return typeof value === "string" && value !== "" ? value : null;
  };
  const schedule = text(SCHEDULE_NAME_TAG);
  if (schedule) return { kind: "schedule", name: schedule };
  const sensor = text(SENSOR_NAME_TAG);
  if (sensor) return { kind: "sensor", name: sensor };
  const backfill = text(BACKFILL_TAG);
  if (backfill) return { kind: "backfill", id: backfill };
  const parent = text(PARENT_RUN_ID_TAG);
  if (parent) return { kind: "re-execution", parentRunId: parent };
  return { kind: "user" };
}
