import type { Grant, Role } from "@bosun/core";
import type { RoleMapping } from "@bosun/instance";

/** Whether a claim (a string, or a list of strings) holds `value`. */
function claimHolds(claim: unknown, value: string): boolean {
  if (typeof claim === "string") return claim === value;
  return Array.isArray(claim) && claim.some((item) => item === value);
}

/**
 * The grants a signed-in user's claims give: every `role_mapping` rule that matches applies; when none
 * does, the `default_role` on the whole instance, or no grant at all (`default_role: none`).
 *
 * @example
 * grantsFromClaims({ groups: ["finance"] }, [{ claim: "groups", value: "finance", grant: { role: "launcher", location: "finance" } }], null);
 * // [{ role: "launcher", location: "finance" }]
 */
export function grantsFromClaims(
  claims: Readonly<Record<string, unknown>>,
  mappings: readonly RoleMapping[],
  defaultRole: Role | null,
): Grant[] {
  const grants = mappings.filter((m) => claimHolds(claims[m.claim], m.value)).map((m) => m.grant);
  if (grants.length > 0) return grants;
  return defaultRole === null ? [] : [{ role: defaultRole, location: null }];
}

/** The name shown for a user: the configured claim, else the usual ones, else the subject. */
export function userNameFromClaims(claims: Readonly<Record<string, unknown>>, usernameClaim: string): string {
  for (const key of [usernameClaim, "preferred_username", "email", "name", "sub"]) {
    const value = claims[key];
    if (typeof value === "string" && value !== "") return value;
  }
  return "unknown";
}
