import { describe, expect, it } from "vitest";
import { chooseReexecutionSteps, type ReexecutionContext } from "./reexecution-steps.ts";
import { NothingToReexecuteError, RunRequestFieldsError } from "./run-request-errors.ts";

/** extract -> clean -> report, and extract -> audit; plan order as the code location gives it. */
const PLAN = [
  { key: "extract", upstream: [] },
  { key: "clean", upstream: ["extract"] },
  { key: "audit", upstream: ["extract"] },
  { key: "report", upstream: ["clean"] },
];

function context(overrides: Partial<ReexecutionContext> = {}): ReexecutionContext {
  return {
    parentRunId: "parent-1",
    jobName: "etl",
    planSteps: PLAN,
    parentExecuted: null,
    succeeded: new Set(),
    ...overrides,
  };
}

describe("chooseReexecutionSteps", () => {
  it("executes every step (null) in mode all", () => {
    expect(chooseReexecutionSteps(context(), "all", undefined)).toBeNull();
  });

  it("returns selected steps in the plan's order, not the request's", () => {
    expect(chooseReexecutionSteps(context(), "selected", ["report", "extract"])).toEqual([
      "extract",
      "report",
    ]);
  });

  it("names each unknown selected step by its position with the nearest step of the plan", () => {
    const attempt = () => chooseReexecutionSteps(context(), "selected", ["clean", "reprot"]);
    expect(attempt).toThrow(RunRequestFieldsError);
    try {
      attempt();
    } catch (error) {
      expect((error as RunRequestFieldsError).issues).toEqual([
        { field: "stepKeys[1]", message: 'no step "reprot" in job "etl"; did you mean "report"?' },
      ]);
    }
  });

  it("refuses an empty selection, and step keys with any mode but selected", () => {
    expect(() => chooseReexecutionSteps(context(), "selected", [])).toThrow(
      'stepKeys: mode "selected" needs at least one step key',
    );
    expect(() => chooseReexecutionSteps(context(), "all", ["clean"])).toThrow(
      'stepKeys: only allowed with mode "selected"',
    );
    expect(() => chooseReexecutionSteps(context(), "fromFailure", ["clean"])).toThrow(
      'stepKeys: only allowed with mode "selected"',
    );
  });

  it("from failure: the steps that did not succeed and everything downstream of them, from the plan's edges", () => {
    const chosen = chooseReexecutionSteps(
      context({ succeeded: new Set(["extract", "audit"]) }),
      "fromFailure",
      undefined,
    );
    expect(chosen).toEqual(["clean", "report"]);
  });

  it("from failure only looks at the steps the parent executed", () => {
    // The parent re-executed only `audit`, which succeeded: `clean` and `report` never ran in it.
    const attempt = () =>
      chooseReexecutionSteps(
        context({ parentExecuted: ["audit"], succeeded: new Set(["audit"]) }),
        "fromFailure",
        undefined,
      );
    expect(attempt).toThrow(NothingToReexecuteError);
    expect(attempt).toThrow("run parent-1 has no failed or unfinished steps to re-execute from");
  });
});
