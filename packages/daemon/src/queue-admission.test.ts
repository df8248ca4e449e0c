import type { QueuedRunView } from "@bosun/storage";
import { describe, expect, it } from "vitest";
import { admitRuns, queueBlockReason } from "./queue-admission.ts";

const run = (runId: string, tags: Record<string, string> = {}): QueuedRunView => ({
  runId,
  tags,
  codeLocation: "loc",
  priority: 0,
  createdAt: new Date(0),
});

describe("admitRuns", () => {
  it("fills the instance up to max_concurrent_runs, in queue order", () => {
    const snapshot = { inProgress: [run("busy")], queued: [run("a"), run("b"), run("c")] };
    expect(admitRuns(snapshot, { maxConcurrentRuns: 3, tagConcurrencyLimits: [] })).toEqual(["a", "b"]);
    expect(admitRuns(snapshot, { maxConcurrentRuns: null, tagConcurrencyLimits: [] })).toEqual([
      "a",
      "b",
      "c",
    ]);
    expect(admitRuns(snapshot, { maxConcurrentRuns: 0, tagConcurrencyLimits: [] })).toEqual([]);
  });

  it("applies a value limit only to runs with that value, counting runs in progress", () => {
    const limits = { maxConcurrentRuns: null, tagConcurrencyLimits: [{ key: "db", value: "wh", limit: 2 }] };
    const snapshot = {
      inProgress: [run("busy", { db: "wh" })],
      queued: [run("a", { db: "wh" }), run("b", { db: "wh" }), run("c", { db: "lake" }), run("d")],
    };
    expect(admitRuns(snapshot, limits)).toEqual(["a", "c", "d"]);
  });

  it("counts every value together for a limit without a value", () => {
    const limits = { maxConcurrentRuns: null, tagConcurrencyLimits: [{ key: "gpu", limit: 1 }] };
    const snapshot = { inProgress: [], queued: [run("a", { gpu: "x" }), run("b", { gpu: "y" }), run("c")] };
    expect(admitRuns(snapshot, limits)).toEqual(["a", "c"]);
  });

  it("gives each distinct value its own limit in per-unique-value mode", () => {
    const limits = {
      maxConcurrentRuns: null,
      tagConcurrencyLimits: [{ key: "team", limit: 1, perUniqueValue: true as const }],
    };
    const snapshot = {
      inProgress: [run("busy", { team: "red" })],
      queued: [
        run("a", { team: "red" }),
        run("b", { team: "blue" }),
        run("c", { team: "blue" }),
        run("d", { team: "green" }),
      ],
    };
    expect(admitRuns(snapshot, limits)).toEqual(["b", "d"]);
  });

  it("lets runs behind a tag-blocked run start, but stops at the instance limit", () => {
    const limits = { maxConcurrentRuns: 2, tagConcurrencyLimits: [{ key: "db", limit: 0 }] };
    const snapshot = { inProgress: [], queued: [run("blocked", { db: "x" }), run("a"), run("b"), run("c")] };
    expect(admitRuns(snapshot, limits)).toEqual(["a", "b"]);
  });

  it("skips runs that are not ready without counting them", () => {
    const snapshot = { inProgress: [], queued: [run("loading"), run("a"), run("b")] };
    expect(
      admitRuns(snapshot, { maxConcurrentRuns: 2, tagConcurrencyLimits: [] }, (r) => r.runId !== "loading"),
    ).toEqual(["a", "b"]);
  });

  it("says which limit holds a run back", () => {
    const limits = {
      maxConcurrentRuns: 5,
      tagConcurrencyLimits: [{ key: "team", limit: 1, perUniqueValue: true as const }],
    };
    const snapshot = { inProgress: [run("busy", { team: "red" })], queued: [] };
    expect(queueBlockReason(run("a", { team: "red" }), snapshot, limits)).toBe(
      "tag concurrency limit for team=red (1) is reached",
    );
    expect(queueBlockReason(run("b", { team: "blue" }), snapshot, limits)).toBeNull();
    expect(queueBlockReason(run("c"), snapshot, { ...limits, maxConcurrentRuns: 1 })).toBe(
      "max_concurrent_runs (1) runs are in progress",
    );
  });
});
