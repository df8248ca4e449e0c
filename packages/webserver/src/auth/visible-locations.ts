import { grantsAllow, type Permission } from "@bosun/core";
import type { Principal } from "./principal.ts";

/**
 * The code locations whose objects a list may show a caller: null when a grant on the whole instance
 * holds `permission` (everything), else the locations the caller's grants hold it on (maybe none).
 * Lists across locations filter by it, so a caller with grants on some locations sees those, and
 * nothing of the others (not even their names).
 *
 * @example
 * visibleLocations({ name: "ci", kind: "user", grants: [{ role: "viewer", location: "finance" }] }, "view");
 * // Set { "finance" }
 */
export function visibleLocations(principal: Principal, permission: Permission): ReadonlySet<string> | null {
  if (grantsAllow(principal.grants, permission, null)) return null;
  return new Set(
    principal.grants.flatMap((grant) =>
      grant.location !== null && grantsAllow(principal.grants, permission, grant.location)
        ? [grant.location]
        : [],
    ),
  );
}

/** Keeps the items whose location is visible (all of them when `visible` is null). */
export function onlyVisible<T>(
  items: readonly T[],
  visible: ReadonlySet<string> | null,
  locationOf: (item: T) => string | null | undefined,
): T[] {
  if (visible === null) return [...items];
  return items.filter((item) => {
    const location = locationOf(item);
    return location != null && visible.has(location);
  });
}
