import { toStorageUnavailableError } from "../postgres/connection-errors.ts";
import { StorageUnavailableError } from "../storage-errors.ts";

/** Refusals that a restart does not cure: retrying them only delays the real error. */
const NOT_AN_OUTAGE_CODES = new Set(["28P01", "28000", "3D000"]);

/**
 * Whether `error` means the database is away for now (refused or dropped connections, a server
 * shutting down or starting up), as opposed to a query the server rejected. Such a call may be retried
 * once the server is back; anything else is thrown as it is.
 */
export function isStorageOutage(error: unknown): boolean {
  if (error instanceof StorageOutageError) return false;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && NOT_AN_OUTAGE_CODES.has(code)) return false;
  if (error instanceof StorageUnavailableError) return !isNotAnOutage(error.cause);
  return toStorageUnavailableError(error, "") !== null;
}

function isNotAnOutage(cause: unknown): boolean {
  const code = (cause as { code?: unknown } | null)?.code;
  return typeof code === "string" && NOT_AN_OUTAGE_CODES.has(code);
}

/**
 * The database stayed unreachable for longer than `storage.outage_tolerance_seconds`: Bosun stops
 * waiting for it. A run worker that sees this ends its run with this message as the reason.
 */
export class StorageOutageError extends Error {
  constructor(
    readonly toleranceMs: number,
    readonly outageMs: number,
    options?: { cause?: unknown },
  ) {
    const cause = options?.cause instanceof Error ? `: ${options.cause.message}` : "";
    super(
      `the database was unreachable for ${Math.round(outageMs / 1000)} s, longer than storage.outage_tolerance_seconds (${toleranceMs / 1000} s)${cause}`,
      options,
    );
    this.name = "StorageOutageError";
  }
}
