/**
 * bosun/testing: unit-testing ops and assets (with vitest or any test runner) in the test's own
 * process, with resources replaced by fakes, without a job, a run or a database. See docs/testing.md.
 *
 * May depend on: @bosun/core (LAYERS in .dependency-cruiser.cjs), like the rest of the SDK.
 * Each `//` heading is followed by a blank line: Biome then sorts exports within a section, not across.
 */

// Calling one op

export { type InvokeOpOptions, invokeOp } from "./invoke-op.ts";

// Materializing assets in dependency order

export {
  type MaterializeAssetsOptions,
  type MaterializedAssets,
  materializeAssets,
} from "./materialize-assets.ts";

// What both accept, and the error they throw before running anything

export { TEST_RUN_ID, type TestRunOptions } from "./test-context.ts";
export { TestInvocationError } from "./test-invocation-error.ts";
