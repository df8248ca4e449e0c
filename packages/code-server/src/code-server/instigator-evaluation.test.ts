import { defineDefinitions, job, op, schedule, sensor } from "bosun";
import { describe, expect, it } from "vitest";
import {
  evaluateSchedule,
  evaluateSensor,
  normalizeScheduleResult,
  normalizeSensorResult,
} from "./instigator-evaluation.ts";

const noop = op({ name: "noop", run: async () => 1 });
const noopJob = job({
  name: "noop_job",
  build: () => {
    noop();
  },
});

describe("normalizeScheduleResult", () => {
  it("turns one run request into a list of one", () => {
    expect(normalizeScheduleResult("s", { runKey: "k", tags: { a: "b" } })).toEqual({
      ok: true,
      runRequests: [{ runKey: "k", tags: { a: "b" } }],
      skipReason: null,
      cursor: null,
    });
  });

  it("keeps a list of run requests and reads { skipReason } as a skip", () => {
    expect(normalizeScheduleResult("s", [{}, { partitionKey: "p" }])).toMatchObject({
      ok: true,
      runRequests: [{}, { partitionKey: "p" }],
    });
    expect(normalizeScheduleResult("s", { skipReason: "holiday" })).toEqual({
      ok: true,
      runRequests: [],
      skipReason: "holiday",
      cursor: null,
    });
  });

  it("rejects a misspelt run request key, suggesting the right one", () => {
    expect(() => normalizeScheduleResult("nightly", { runConfg: {} })).toThrow(
      'schedule "nightly" returned an invalid result: runConfg: unknown key; did you mean "runConfig"? (a run request has runKey, runConfig, tags, partitionKey)',
    );
  });

  it("rejects results that are not run requests, and values JSON cannot carry", () => {
    expect(() => normalizeScheduleResult("s", undefined)).toThrow(
      'schedule "s" returned an invalid result: expected a run request, a list of run requests or { skipReason }, got undefined',
    );
    expect(() => normalizeScheduleResult("s", [{ tags: { n: 1 } }])).toThrow(
      "[0].tags.n must be a string, got number 1",
    );
    expect(() =>
      normalizeScheduleResult("s", { runConfig: { ops: { a: { config: { at: new Date(0) } } } } }),
    ).toThrow("runConfig.ops.a.config.at is a Date, which JSON cannot carry");
    expect(() => normalizeScheduleResult("s", { skipReason: "x", runKey: "y" })).toThrow(
      "a skip ({ skipReason }) cannot also have runKey",
    );
  });
});

describe("normalizeSensorResult", () => {
  it("keeps the previous cursor when the sensor sets none, and takes the new one when it does", () => {
    expect(normalizeSensorResult("s", { runRequests: [{ runKey: "a" }] }, "7")).toEqual({
      ok: true,
      runRequests: [{ runKey: "a" }],
      skipReason: null,
      cursor: "7",
    });
    expect(normalizeSensorResult("s", { cursor: "8", skipReason: "nothing new" }, "7")).toEqual({
      ok: true,
      runRequests: [],
      skipReason: "nothing new",
      cursor: "8",
    });
  });

  it("reads a sensor that returns nothing as nothing to do", () => {
    expect(normalizeSensorResult("s", undefined, null)).toEqual({
      ok: true,
      runRequests: [],
      skipReason: null,
      cursor: null,
    });
  });

  it("rejects unknown keys (a run request returned directly) and a cursor that is not a string", () => {
    expect(() => normalizeSensorResult("files", { runKey: "a" }, null)).toThrow(
      'sensor "files" returned an invalid result: unknown key "runKey" (expected runRequests, cursor, skipReason)',
    );
    expect(() => normalizeSensorResult("files", { cursr: "1" }, null)).toThrow('did you mean "cursor"?');
    expect(() => normalizeSensorResult("files", { cursor: 5 }, null)).toThrow(
      "cursor must be a string, got number 5",
    );
  });
});

describe("evaluateSchedule and evaluateSensor", () => {
  const definitions = defineDefinitions({
    jobs: [noopJob],
    schedules: [
      schedule({
        name: "tick",
        cron: "* * * * *",
        job: noopJob,
        evaluate: async ({ scheduledTime }) => ({ runKey: scheduledTime.toISOString() }),
      }),
      schedule({
        name: "thrower",
        cron: "* * * * *",
        job: noopJob,
        evaluate: () => {
          throw new TypeError("calendar unreachable", { cause: new Error("ECONNRESET") });
        },
      }),
    ],
    sensors: [
      sensor({
        name: "counter",
        job: noopJob,
        evaluate: ({ cursor, lastRunKey }) => ({
          runRequests: [{ runKey: `after-${lastRunKey}` }],
          cursor: String(Number(cursor ?? "0") + 1),
        }),
      }),
    ],
  });

  it("passes the tick time to the schedule", async () => {
    const tick = new Date("2024-05-01T10:00:00Z");
    expect(await evaluateSchedule(definitions, "tick", tick)).toEqual({
      ok: true,
      runRequests: [{ runKey: "2024-05-01T10:00:00.000Z" }],
      skipReason: null,
      cursor: null,
    });
  });

  it("answers a user error as { ok: false } with the error's class, message and cause", async () => {
    const result = await evaluateSchedule(definitions, "thrower", new Date());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({
      className: "TypeError",
      message: "calendar unreachable",
      cause: { className: "Error", message: "ECONNRESET" },
    });
    expect(result.error.stack).toContain("instigator-evaluation.test.ts");
  });

  it("answers an unknown name with a suggestion", async () => {
    const result = await evaluateSchedule(definitions, "tik", new Date());
    expect(result).toMatchObject({
      ok: false,
      error: {
        className: "UnknownInstigatorError",
        message: 'no schedule named "tik"; did you mean "tick"? (schedules: tick, thrower)',
      },
    });
  });

  it("passes the cursor and last run key to the sensor", async () => {
    expect(await evaluateSensor(definitions, "counter", "4", "run-9")).toEqual({
      ok: true,
      runRequests: [{ runKey: "after-run-9" }],
      skipReason: null,
      cursor: "5",
    });
  });
});
