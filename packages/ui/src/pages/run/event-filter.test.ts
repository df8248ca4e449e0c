import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../api/types.ts";
import { filterEvents, parseEventFilter } from "./event-filter.ts";

const events: RunEvent[] = [
  {
    seq: 1,
    runId: "r",
    type: "RUN_START",
    stepKey: null,
    timestamp: 1,
    level: "info",
    message: "Started run",
    data: {},
  },
  {
    seq: 2,
    runId: "r",
    type: "STEP_START",
    stepKey: "load",
    timestamp: 2,
    level: "info",
    message: "Started load",
    data: {},
  },
  {
    seq: 3,
    runId: "r",
    type: "STEP_RETRY",
    stepKey: "load",
    timestamp: 3,
    level: "warning",
    message: "Timed out",
    data: {},
  },
  {
    seq: 4,
    runId: "r",
    type: "STEP_FAILURE",
    stepKey: "save",
    timestamp: 4,
    level: "error",
    message: "Disk full",
    data: {},
  },
];

describe("filterEvents", () => {
  it("filters by step, type, minimum level and text", () => {
    const seqs = (q: string) =>
      filterEvents(events, parseEventFilter(new URLSearchParams(q))).map((e) => e.seq);
    expect(seqs("")).toEqual([1, 2, 3, 4]);
    expect(seqs("step=load")).toEqual([2, 3]);
    expect(seqs("type=STEP_FAILURE&type=RUN_START")).toEqual([1, 4]);
    expect(seqs("level=warning")).toEqual([3, 4]);
    expect(seqs("q=disk")).toEqual([4]);
    expect(seqs("step=load&level=error")).toEqual([]);
    expect(seqs("level=loud")).toEqual([1, 2, 3, 4]);
  });
});
