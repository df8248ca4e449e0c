import type { DefinitionsSnapshot, JobSnapshot, LocationEntry } from "@bosun/code-server";
import { didYouMean, type RunRecord, type SerializableFailure } from "@bosun/core";
import { ApiError } from "../api/api-error.ts";
import type { WebserverContext } from "./webserver-context.ts";

/** Lookups that answer 404 (with a suggestion for a near miss) or 503 instead of returning nothing. */

export function requireLocation(ctx: WebserverContext, name: string): LocationEntry {
  const entry = ctx.workspace.get(name);
  if (entry) return entry;
  const known = ctx.workspace.list().map((l) => l.name);
  throw new ApiError("LOCATION_NOT_FOUND", `no code location "${name}"${didYouMean(name, known)}`, {
    location: name,
    known,
  });
}

/**
 * The location's definitions; its last good snapshot is served while it reloads or after it broke.
 * Without one: 422 when its definitions are invalid (a misspelt `bosun-k8s/config` key, a missing
 * dependency), 503 otherwise (still loading, its code server unreachable, its import threw).
 */
export function requireSnapshot(entry: LocationEntry): DefinitionsSnapshot {
  if (entry.snapshot) return entry.snapshot;
  if (entry.status === "ERROR" && entry.error && isDefinitionsError(entry.error)) {
    throw new ApiError(
      "LOCATION_DEFINITIONS_INVALID",
      `code location "${entry.name}" has invalid definitions: ${entry.error.message}`,
      { location: entry.name, status: entry.status },
    );
  }
  const reason =
    entry.status === "LOADING"
      ? "is still loading"
      : `failed to load: ${entry.error?.message ?? "unknown error"}`;
  throw new ApiError("LOCATION_UNAVAILABLE", `code location "${entry.name}" ${reason}`, {
    location: entry.name,
    status: entry.status,
  });
}

/** A `DefinitionError` anywhere in the failure's cause chain (the loader wraps it in a CodeLoadError). */
function isDefinitionsError(failure: SerializableFailure): boolean {
  for (let current: SerializableFailure | null = failure; current; current = current.cause) {
    if (current.className === "DefinitionError") return true;
  }
  return false;
}

export function requireJob(entry: LocationEntry, jobName: string): JobSnapshot {
  const snapshot = requireSnapshot(entry);
  const job = snapshot.jobs.find((j) => j.name === jobName);
  if (job) return job;
  throw new ApiError(
    "JOB_NOT_FOUND",
    `no job "${jobName}" in code location "${entry.name}"${didYouMean(
      jobName,
      snapshot.jobs.map((j) => j.name),
    )}`,
    { location: entry.name, job: jobName },
  );
}

export async function requireRun(ctx: WebserverContext, runId: string): Promise<RunRecord> {
  const run = await ctx.storage.runs.getRun(runId);
  if (!run) throw new ApiError("RUN_NOT_FOUND", `no run with id ${runId}`, { runId });
  return run;
}
