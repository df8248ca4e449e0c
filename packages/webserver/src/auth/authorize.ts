import { grantsAllow, type Permission } from "@bosun/core";
import type { RunStorage } from "@bosun/storage";
import { ApiError } from "../api/api-error.ts";
import { INPUT_LIMITS } from "../input/input-limits.ts";
import { describeGrants, type Principal } from "./principal.ts";
import type { AccessScope } from "./route-access.ts";
import { visibleLocations } from "./visible-locations.ts";

/** The parts of a request a scope names its object by. */
export interface RequestTarget {
  readonly params: unknown;
  readonly body: unknown;
}

function field(source: unknown, key: string): string | null {
  if (typeof source !== "object" || source === null) return null;
  const value = (source as Record<string, unknown>)[key];
  return typeof value === "string" ? value : null;
}

/**
 * Refuses with 403 FORBIDDEN, naming the permission, unless the principal's grants hold `permission`
 * on the route's object. A run's code location is read only when no instance-wide grant already
 * decides; a run that does not exist gets the same 403 as one in a location the caller cannot see.
 */
export async function authorize(
  principal: Principal,
  permission: Permission,
  scope: AccessScope,
  target: RequestTarget,
  runs: RunStorage,
): Promise<void> {
  if (grantsAllow(principal.grants, permission, null)) return;
  const forbidden = (on: string) =>
    new ApiError(
      "FORBIDDEN",
      `permission "${permission}" is needed on ${on}; ${principal.name} has ${describeGrants(principal.grants)}`,
      { permission },
    );
  switch (scope.on) {
    case "instance":
      throw forbidden("the whole instance");
    case "visibleLocations":
      // The route lists only what these grants cover (see `visibleLocations`).
      if (visibleLocations(principal, permission)?.size) return;
      throw forbidden("the whole instance or a code location");
    case "location": {
      const [source, key] =
        scope.from === "body.location"
          ? [target.body, "location"]
          : [target.params, scope.from.slice("params.".length)];
      const location = field(source, key);
      if (location === null || !grantsAllow(principal.grants, permission, location))
        throw forbidden(location === null ? "a code location" : `location ${location}`);
      return;
    }
    case "run": {
      const runId = field(target.params, scope.param);
      // An id the route's schema would refuse is not looked up: it cannot name a visible run.
      const run =
        runId !== null && runId.length <= INPUT_LIMITS.keyLength && !runId.includes("\0")
          ? await runs.getRun(runId)
          : null;
      if (run === null || !grantsAllow(principal.grants, permission, run.codeLocation))
        throw forbidden("the run's code location");
      return;
    }
  }
}
