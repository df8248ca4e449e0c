import { describe, expect, it } from "vitest";
import { launchedBy } from "./launched-by.ts";
import { BACKFILL_TAG, PARENT_RUN_ID_TAG, SCHEDULE_NAME_TAG, SENSOR_NAME_TAG } from "./run-tags.ts";

describe("launchedBy", () => {
  it("says which schedule, sensor, backfill or re-execution launched a run", () => {
    expect(launchedBy({ [SCHEDULE_NAME_TAG]: "hourly", "bosun/tick_id": "t1" })).toEqual({
      kind: "schedule",
      name: "hourly",
    });
    expect(launchedBy({ [SENSOR_NAME_TAG]: "new_files", team: "data" })).toEqual({
      kind: "sensor",
      name: "new_files",
    });
    expect(launchedBy({ [BACKFILL_TAG]: "bf-12" })).toEqual({ kind: "backfill", id: "bf-12" });
    expect(launchedBy({ [PARENT_RUN_ID_TAG]: "abc" })).toEqual({ kind: "re-execution", parentRunId: "abc" });
  });

  it("prefers the instigator over the re-execution chain (a retry of a scheduled run is the schedule's)", () => {
    expect(launchedBy({ [PARENT_RUN_ID_TAG]: "abc", [SCHEDULE_NAME_TAG]: "daily" })).toEqual({
      kind: "schedule",
      name: "daily",
    });
  });

  it("says a user launched a run without system tags, or with empty or non-text ones", () => {
    expect(launchedBy({ team: "data" })).toEqual({ kind: "user" });
    expect(launchedBy({ [SCHEDULE_NAME_TAG]: "", [SENSOR_NAME_TAG]: 3 })).toEqual({ kind: "user" });
  });
});
