import { describe, expect, it } from "vitest";
import { DEFAULT_QUEUE, queueOfOp, stepPriority, toBullPriority } from "./queue-tags.ts";

describe("a step's queue and priority", () => {
  it("goes to the default queue without a tag and to the tagged one with it", () => {
    expect(queueOfOp("a", {})).toBe(DEFAULT_QUEUE);
    expect(queueOfOp("a", { "bosun-queue/queue": "warehouse" })).toBe("warehouse");
  });

  it("adds the op's priority to the run's", () => {
    expect(stepPriority("a", { "bosun-queue/priority": 3 }, { "bosun/priority": "-1" })).toBe(2);
  });

  it("rejects a non-integer priority naming the op and the tag", () => {
    expect(() => stepPriority("load", { "bosun-queue/priority": 1.5 }, {})).toThrow(
      'op "load": tag bosun-queue/priority: expected an integer, got 1.5',
    );
  });

  it("maps higher Bosun priorities to lower BullMQ values, within BullMQ's range", () => {
    expect(toBullPriority(10)).toBeLessThan(toBullPriority(0));
    expect(toBullPriority(0)).toBeLessThan(toBullPriority(-5));
    expect(toBullPriority(10_000_000)).toBe(1);
    expect(toBullPriority(-10_000_000)).toBe(2_097_151);
  });
});
