import {
  BACKFILL_TAG,
  PARENT_RUN_ID_TAG,
  PARTITION_TAG,
  ROOT_RUN_ID_TAG,
  SCHEDULE_NAME_TAG,
  SENSOR_NAME_TAG,
} from "@bosun/core";
import { RUN_KEY_TAG, TICK_ID_TAG } from "@bosun/runs";
import { MAX_RETRIES_TAG, PRIORITY_TAG, RETRY_NUMBER_TAG } from "@bosun/storage";
import { describe, expect, it } from "vitest";
import { isSystemTag, SYSTEM_TAG_LABELS } from "./system-tags.ts";

describe("system tags", () => {
  it("have a label for every tag Bosun writes on runs", () => {
    for (const tag of [
      SCHEDULE_NAME_TAG,
      SENSOR_NAME_TAG,
      BACKFILL_TAG,
      TICK_ID_TAG,
      RUN_KEY_TAG,
      PARTITION_TAG,
      PARENT_RUN_ID_TAG,
      ROOT_RUN_ID_TAG,
      PRIORITY_TAG,
      MAX_RETRIES_TAG,
      RETRY_NUMBER_TAG,
    ]) {
      expect(Object.keys(SYSTEM_TAG_LABELS)).toContain(tag);
      expect(isSystemTag(tag)).toBe(true);
    }
  });

  it("are told apart from a user's tags", () => {
    expect(isSystemTag("team")).toBe(false);
    expect(isSystemTag("bosun-k8s/config")).toBe(false);
  });
});
