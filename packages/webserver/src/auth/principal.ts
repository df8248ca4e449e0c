import type { Grant } from "@bosun/core";

/** How a caller proved who it is: a user, agent or run token, a sign-in session cookie, or nothing (auth off). */
export type PrincipalKind = "user" | "agent" | "run" | "session" | "anonymous";

/**
 * Who is calling, as the API's checks and the audit log see them. With auth off every caller is the
 * anonymous principal holding admin on the instance (the webserver then behaves as it always has).
 */
export interface Principal {
  /** A token's name, a signed-in user's name, or `anonymous`. */
  readonly name: string;
  readonly kind: PrincipalKind;
  readonly grants: readonly Grant[];
  /** For a run token: the one run it acts for. */
  readonly runId?: string | null;
}

/** Every caller when auth is off. */
export const ANONYMOUS_ADMIN: Principal = {
  name: "anonymous",
  kind: "anonymous",
  grants: [{ role: "admin", location: null }],
};

/** "launcher on finance, viewer on the instance": for 403 messages, naming no other location. */
export function describeGrants(grants: readonly Grant[]): string {
  if (grants.length === 0) return "no role";
  return grants
    .map(
      (grant) =>
        `${grant.role} on ${grant.location === null ? "the instance" : `location ${grant.location}`}`,
    )
    .join(", ");
}
