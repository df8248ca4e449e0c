/** For unit tests of the config model: the `K8sConfigError` a parse throws, to assert on its fields. */
import { K8sConfigError, type K8sConfigIssue } from "../src/errors.ts";

/** The `K8sConfigError` that `run` throws; any other outcome fails the test. */
export function configError(run: () => unknown): K8sConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof K8sConfigError) return error;
    throw error;
  }
  throw new Error("expected a K8sConfigError");
}

/** The first problem of the `K8sConfigError` that `run` throws. */
export function firstIssue(run: () => unknown): K8sConfigIssue {
  return configError(run).issues[0]!;
}
