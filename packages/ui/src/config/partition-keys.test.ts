import { describe, expect, it } from "vitest";
import { partitionKeysOf } from "./partition-keys.ts";

describe("partitionKeysOf", () => {
  it("lists ended daily and hourly windows newest first, and static keys as given", () => {
    const now = Date.parse("2024-05-04T10:30:00Z");
    expect(partitionKeysOf({ kind: "daily", start: "2024-05-01T00:00:00.000Z" }, now)).toEqual([
      "2024-05-03",
      "2024-05-02",
      "2024-05-01",
    ]);
    expect(partitionKeysOf({ kind: "hourly", start: "2024-05-04T08:00:00.000Z" }, now)).toEqual([
      "2024-05-04-09:00",
      "2024-05-04-08:00",
    ]);
    expect(partitionKeysOf({ kind: "static", keys: ["eu", "us"] }, now)).toEqual(["eu", "us"]);
  });
});
