import {
  PARENT_RUN_ID_TAG as BOSUN_PARENT_RUN_ID_TAG,
  ROOT_RUN_ID_TAG as BOSUN_ROOT_RUN_ID_TAG,
  PARTITION_TAG,
} from "@bosun/core";
import {
  SCHEDULE_NAME_TAG as BOSUN_SCHEDULE_NAME_TAG,
  SENSOR_NAME_TAG as BOSUN_SENSOR_NAME_TAG,
  RUN_KEY_TAG,
  TICK_ID_TAG,
} from "@bosun/runs";
import { MAX_RETRIES_TAG, PRIORITY_TAG, RETRY_NUMBER_TAG } from "@bosun/storage";
import { describe, expect, it } from "vitest";
import {
  launchedBy,
  PARENT_RUN_ID_TAG,
  ROOT_RUN_ID_TAG,
  SCHEDULE_NAME_TAG,
  SENSOR_NAME_TAG,
  SYSTEM_TAG_LABELS,
} from "./system-tags.ts";

describe("system tags", () => {
  it("are named as Bosun names them", () => {
    expect([SCHEDULE_NAME_TAG, SENSOR_NAME_TAG, PARENT_RUN_ID_TAG, ROOT_RUN_ID_TAG]).toEqual([
      BOSUN_SCHEDULE_NAME_TAG,
      BOSUN_SENSOR_NAME_TAG,
      BOSUN_PARENT_RUN_ID_TAG,
      BOSUN_ROOT_RUN_ID_TAG,
    ]);
    for (const tag of [
      TICK_ID_TAG,
      RUN_KEY_TAG,
      PARTITION_TAG,
      PRIORITY_TAG,
      MAX_RETRIES_TAG,
      RETRY_NUMBER_TAG,
    ])
      expect(Object.keys(SYSTEM_TAG_LABELS)).toContain(tag);
  });

  it("say which schedule, sensor or re-execution launched a run, and a user otherwise", () => {
    expect(launchedBy({ [SCHEDULE_NAME_TAG]: "hourly", "bosun/tick_id": "t1" })).toEqual({
      kind: "schedule",
      name: "hourly",
    });
    expect(launchedBy({ [SENSOR_NAME_TAG]: "new_files", team: "data" })).toEqual({
      kind: "sensor",
      name: "new_files",
    });
    expect(launchedBy({ "bosun/backfill": "bf-12" })).toEqual({ kind: "backfill", id: "bf-12" });
    expect(launchedBy({ [PARENT_RUN_ID_TAG]: "abc" })).toEqual({ kind: "re-execution", parentRunId: "abc" });
    expect(launchedBy({ team: "data" })).toEqual({ kind: "user" });
  });
});
