import { type JsonValue, stringifyTags } from "@bosun/core";

// Defined in @bosun/core, which also reads them (`launchedBy`); exported here beside the tags runs set.
export { SCHEDULE_NAME_TAG, SENSOR_NAME_TAG } from "@bosun/core";

/** Tag on runs a sensor or schedule requested with a run key. */
export const RUN_KEY_TAG = "bosun/run_key";
/** The tick that requested the run. */
export const TICK_ID_TAG = "bosun/tick_id";

/**
 * The tags a new run is stored with. Three layers, later ones win: the job's own tags (as the code
 * declares them), the tags the requester gave (or the parent run's, for a re-execution or a retry), and
 * the tags Bosun sets itself (partition, lineage, instigator, retry number), which nobody can override.
 *
 * @example
 * runTags({ jobTags: { team: "data" }, requestTags: { team: "ops" }, systemTags: { "bosun/partition": "eu" } });
 * // { team: "ops", "bosun/partition": "eu" }
 */
export function runTags(layers: {
  readonly jobTags?: Readonly<Record<string, JsonValue>>;
  readonly requestTags?: Readonly<Record<string, string>>;
  readonly systemTags?: Readonly<Record<string, string>>;
}): Record<string, string> {
  return {
    ...stringifyTags(layers.jobTags),
    ...(layers.requestTags ?? {}),
    ...(layers.systemTags ?? {}),
  };
}
