import { StorageUnavailableError, toStorageUnavailableError } from "@bosun/storage";
import { ApiError } from "../api/api-error.ts";

/**
 * The 503 for a request that failed because the database could not be reached, or null when `error` is
 * something else. Connection failures are recognised by storage's own rule (`toStorageUnavailableError`,
 * the one place that knows the driver's error codes), also when wrapped as another error's `cause`, so
 * every route answers an outage alike: 503 STORAGE_UNAVAILABLE with Retry-After, never 500.
 */
export function storageOutage(error: unknown, target: string): ApiError | null {
  for (let current = error, hops = 0; current && hops < 5; hops++) {
    const unavailable =
      current instanceof StorageUnavailableError ? current : toStorageUnavailableError(current, target);
    if (unavailable)
      return new ApiError(
        "STORAGE_UNAVAILABLE",
        `${unavailable.message}; retry once the database is back (see Retry-After)`,
      );
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}
