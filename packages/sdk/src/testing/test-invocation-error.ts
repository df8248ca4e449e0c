import type { ConfigIssue } from "../definitions/config-parsing.ts";

/**
 * A test called an op or asset with what it cannot run with: config its schema refuses, a resource or
 * input that was not given, an upstream asset neither materialized nor given. Lists every problem, each
 * with the path of the option that holds it (`config.count`, `resources.warehouse`).
 */
export class TestInvocationError extends Error {
  constructor(
    /** What was called: `op "sum_of"`, `asset "revenue_by_region"`. */
    readonly subject: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(`${subject} cannot run:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join("\n")}`);
    this.name = "TestInvocationError";
  }
}
