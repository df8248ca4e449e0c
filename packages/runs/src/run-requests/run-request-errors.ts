import { didYouMean, type RunStatus } from "@bosun/core";
import type { ConfigIssue } from "@bosun/engine";

/**
 * Why a run request was refused. Every refusal leaves nothing stored. Each condition has its own class
 * so that callers can answer in their own terms (the webserver maps them to HTTP codes, the CLI prints
 * the message, the daemon records it on the tick).
 */
export abstract class RunRequestError extends Error {}

/** The request names a job the code location does not have. */
export class JobNotFoundError extends RunRequestError {
  constructor(
    readonly location: string | null,
    readonly jobName: string,
    readonly known: readonly string[],
  ) {
    super(`no job named "${jobName}"${inLocation(location)}${didYouMean(jobName, known)}`);
    this.name = "JobNotFoundError";
  }
}

/** The request selects an asset the code location does not have. */
export class AssetNotFoundError extends RunRequestError {
  constructor(
    readonly location: string | null,
    readonly assetKey: string,
    readonly known: readonly string[],
  ) {
    super(`no asset "${assetKey}"${inLocation(location)}${didYouMean(assetKey, known)}`);
    this.name = "AssetNotFoundError";
  }
}

/** The code location judged the run config wrong: one issue per config path. */
export class InvalidRunConfigError extends RunRequestError {
  constructor(
    readonly location: string | null,
    readonly jobName: string,
    /** The code location's own wording (for a terminal). */
    message: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(message);
    this.name = "InvalidRunConfigError";
  }
}

/** The code location refused the run for another reason (a bad partition, code that failed to load...). */
export class RunRequestRefusedError extends RunRequestError {
  constructor(
    readonly location: string | null,
    readonly jobName: string,
    message: string,
  ) {
    super(message);
    this.name = "RunRequestRefusedError";
  }
}

/** Fields of the request itself are wrong (a missing target, step keys with the wrong mode, unknown steps). */
export class RunRequestFieldsError extends RunRequestError {
  constructor(
    /** `field` names the request's field (`jobName`, `stepKeys`, `stepKeys[1]`). */
    readonly issues: readonly { readonly field: string; readonly message: string }[],
  ) {
    super(issues.map((issue) => `${issue.field}: ${issue.message}`).join("; "));
    this.name = "RunRequestFieldsError";
  }
}

/** Only a finished run can be re-executed. */
export class RunNotFinishedError extends RunRequestError {
  constructor(
    readonly runId: string,
    readonly status: RunStatus,
  ) {
    super(`run ${runId} is ${status}: only finished runs can be re-executed`);
    this.name = "RunNotFinishedError";
  }
}

/** A from-failure re-execution of a run whose every executed step succeeded. */
export class NothingToReexecuteError extends RunRequestError {
  constructor(readonly runId: string) {
    super(`run ${runId} has no failed or unfinished steps to re-execute from`);
    this.name = "NothingToReexecuteError";
  }
}

/** A run stored without a code location (executed by the CLI) re-executed where only workspaces are known. */
export class RunWithoutCodeLocationError extends RunRequestError {
  constructor(readonly runId: string) {
    super(
      `run ${runId} was not launched through a code location, so only the CLI can re-execute it (bosun run reexecute -f <file>)`,
    );
    this.name = "RunWithoutCodeLocationError";
  }
}

function inLocation(location: string | null): string {
  return location === null ? "" : ` in code location "${location}"`;
}
