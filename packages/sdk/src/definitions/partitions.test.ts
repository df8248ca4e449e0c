import { describe, expect, it } from "vitest";
import {
  dailyPartitions,
  hourlyPartitions,
  partitionKeyProblem,
  partitionKeys,
  partitionTimeWindow,
  staticPartitions,
} from "./partitions.ts";

describe("partitions", () => {
  it("lists daily keys up to the last window that has ended", () => {
    const daily = dailyPartitions({ startDate: "2024-02-27" });
    expect(partitionKeys(daily, new Date("2024-03-02T10:00:00Z"))).toEqual([
      "2024-02-27",
      "2024-02-28",
      "2024-02-29",
      "2024-03-01",
    ]);
  });

  it("gives hourly keys and their time windows", () => {
    const hourly = hourlyPartitions({ startDate: "2024-05-01-22:00" });
    expect(partitionKeys(hourly, new Date("2024-05-02T00:30:00Z"))).toEqual([
      "2024-05-01-22:00",
      "2024-05-01-23:00",
    ]);
    expect(partitionTimeWindow(hourly, "2024-05-01-23:00")).toEqual({
      start: new Date("2024-05-01T23:00:00Z"),
      end: new Date("2024-05-02T00:00:00Z"),
    });
  });

  it("explains why a key does not belong", () => {
    const now = new Date("2024-06-01T00:00:00Z");
    const daily = dailyPartitions({ startDate: "2024-05-01" });
    expect(partitionKeyProblem(daily, "2024-05-10", now)).toBeNull();
    expect(partitionKeyProblem(daily, "2024-02-30", now)).toBe("expected a daily key shaped YYYY-MM-DD");
    expect(partitionKeyProblem(daily, "2024-04-30", now)).toBe("is before the first partition 2024-05-01");
    expect(partitionKeyProblem(daily, "2024-06-01", now)).toBe("is a window that has not ended yet");
    expect(partitionKeyProblem(staticPartitions(["eu", "us"]), "asia", now)).toBe(
      'expected one of "eu", "us"',
    );
  });

  it("rejects duplicate static keys and malformed start dates", () => {
    expect(() => staticPartitions(["a", "a"])).toThrow('static partition key "a" is listed twice');
    expect(() => dailyPartitions({ startDate: "May 1st" })).toThrow(/startDate must be YYYY-MM-DD/);
  });
});
