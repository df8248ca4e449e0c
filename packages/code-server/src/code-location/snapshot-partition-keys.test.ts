import { describe, expect, it } from "vitest";
import { snapshotPartitionKeys } from "./snapshot-partition-keys.ts";

describe("snapshotPartitionKeys", () => {
  it("names the keys as the SDK does, oldest first, only windows that have ended", () => {
    const daily = { kind: "daily" as const, start: "2024-01-01T00:00:00.000Z" };
    expect(snapshotPartitionKeys(daily, new Date("2024-01-03T12:00:00Z"))).toEqual([
      "2024-01-01",
      "2024-01-02",
    ]);
    const hourly = { kind: "hourly" as const, start: "2024-01-01T22:00:00.000Z" };
    expect(snapshotPartitionKeys(hourly, new Date("2024-01-02T00:30:00Z"))).toEqual([
      "2024-01-01-22:00",
      "2024-01-01-23:00",
    ]);
    expect(snapshotPartitionKeys({ kind: "static", keys: ["eu", "us"] })).toEqual(["eu", "us"]);
  });

  it("reuses a time-window list within the hour and builds a new one after it", () => {
    const hourly = { kind: "hourly" as const, start: "2024-02-01T00:00:00.000Z" };
    const first = snapshotPartitionKeys(hourly, new Date("2024-02-01T05:10:00Z"));
    expect(snapshotPartitionKeys(hourly, new Date("2024-02-01T05:50:00Z"))).toBe(first);
    const later = snapshotPartitionKeys(hourly, new Date("2024-02-01T06:00:00Z"));
    expect(later).not.toBe(first);
    expect(later.at(-1)).toBe("2024-02-01-05:00");
    expect(first.at(-1)).toBe("2024-02-01-04:00");
  });
});
