import { describe, expect, it } from "vitest";
import { problemSummary } from "./partition-status.tsx";

describe("problemSummary", () => {
  it("says how many partitions are missing and failed", () => {
    expect(problemSummary({ MATERIALIZED: 5, FAILED: 1, IN_PROGRESS: 2, MISSING: 3 })).toBe(
      "3 missing / 1 failed",
    );
  });

  it("says all materialized when nothing is missing, failed or under way", () => {
    expect(problemSummary({ MATERIALIZED: 5, FAILED: 0, IN_PROGRESS: 0, MISSING: 0 })).toBe(
      "all materialized",
    );
  });

  it("says what is in progress when that is all that is not materialized", () => {
    expect(problemSummary({ MATERIALIZED: 5, FAILED: 0, IN_PROGRESS: 2, MISSING: 0 })).toBe("2 in progress");
  });
});
