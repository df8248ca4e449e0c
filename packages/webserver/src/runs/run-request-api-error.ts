import { CodeLocationUnavailableError, UnknownLocationError } from "@bosun/code-server";
import {
  AssetNotFoundError,
  CodeLocationNotLoadedError,
  InvalidRunConfigError,
  JobNotFoundError,
  NothingToReexecuteError,
  RunNotFinishedError,
  RunRequestFieldsError,
  RunRequestRefusedError,
  RunWithoutCodeLocationError,
} from "@bosun/runs";
import { RunNotFoundError } from "@bosun/storage";
import { ApiError, invalidInput } from "../api/api-error.ts";

/** The launch body calls the run-request service's `jobName` field `job`. */
const BODY_FIELDS: Readonly<Record<string, string>> = { jobName: "job" };

/**
 * Runs a call to the run-request service, answering its refusals in the API's terms: a missing job,
 * asset, location or run is 404, a bad request or config 400 naming the fields, a run in the wrong state
 * 409, an unreachable code location 503. Anything else is not the caller's fault and passes through.
 */
export async function answeringRunRequestErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toApiError(error);
  }
}

function toApiError(error: unknown): unknown {
  if (error instanceof RunRequestFieldsError)
    return invalidInput(
      error.issues.map((issue) => {
        const [, name = issue.field, rest = ""] = /^(\w+)(.*)$/.exec(issue.field) ?? [];
        return { field: `body.${BODY_FIELDS[name] ?? name}${rest}`, message: issue.message };
      }),
    );
  if (error instanceof JobNotFoundError)
    return new ApiError("JOB_NOT_FOUND", error.message, { location: error.location, job: error.jobName });
  if (error instanceof AssetNotFoundError)
    return new ApiError("ASSET_NOT_FOUND", error.message, {
      location: error.location,
      assetKey: error.assetKey,
    });
  if (error instanceof InvalidRunConfigError) {
    const issues = error.issues.map((issue) => ({
      field: issue.path === "(root)" || issue.path === "" ? "body.runConfig" : `body.runConfig.${issue.path}`,
      path: issue.path,
      message: issue.message,
    }));
    return new ApiError(
      "INVALID_RUN_CONFIG",
      `invalid run config: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
      { issues },
    );
  }
  if (error instanceof RunRequestRefusedError)
    return new ApiError("INVALID_LAUNCH", error.message, { location: error.location, job: error.jobName });
  if (error instanceof RunWithoutCodeLocationError)
    return new ApiError("INVALID_LAUNCH", error.message, { runId: error.runId });
  if (error instanceof RunNotFinishedError)
    return new ApiError("RUN_NOT_FINISHED", error.message, { runId: error.runId, status: error.status });
  if (error instanceof NothingToReexecuteError)
    return new ApiError("NOTHING_TO_REEXECUTE", error.message, { runId: error.runId });
  if (error instanceof RunNotFoundError) return new ApiError("RUN_NOT_FOUND", error.message);
  if (error instanceof UnknownLocationError)
    return new ApiError("LOCATION_NOT_FOUND", error.message, {
      location: error.location,
      known: error.known,
    });
  if (error instanceof CodeLocationUnavailableError || error instanceof CodeLocationNotLoadedError)
    return new ApiError("LOCATION_UNAVAILABLE", error.message, { location: error.location });
  return error;
}
