/**
 * Roles and permissions: who may do what through the webserver's API. Roles are ordered, each one
 * holding every permission of the role below it:
 *
 * - `viewer`   reads everything except secrets;
 * - `launcher` also launches, re-executes and terminates runs;
 * - `editor`   also starts and stops schedules and sensors, reloads code locations, manages backfills and queues,
 *              and creates and closes branch deployments (what CI does on each push);
 * - `admin`    also manages tokens, grants and settings, and reads the audit log.
 *
 * A grant gives a role on the whole instance or on one code location (a launcher of `finance` only).
 */

/** The roles, weakest first. */
export const ROLES = ["viewer", "launcher", "editor", "admin"] as const;

/** One of `ROLES`. */
export type Role = (typeof ROLES)[number];

/** Every permission, each with the weakest role that holds it. */
export const PERMISSION_ROLES = {
  /** Read runs, events, logs, assets, jobs, schedules, sensors, locations, the queue and daemon health. */
  view: "viewer",
  /** Launch runs and re-execute finished ones. */
  "runs.launch": "launcher",
  /** Cancel queued runs and stop started ones. */
  "runs.terminate": "launcher",
  /** Start and stop schedules and sensors. */
  "instigators.manage": "editor",
  /** Fetch a code location's definitions again. */
  "locations.reload": "editor",
  /** Set a deployment's desired code locations (`bosun deploy`). */
  "locations.deploy": "editor",
  /** Launch and cancel backfills. */
  "backfills.manage": "editor",
  /** Change run queue limits and priorities. */
  "queues.manage": "editor",
  /** Create, update and close branch deployments (CI's token): no secrets, and `prod` cannot be closed. */
  "deployments.manage": "editor",
  /** Create, list and revoke API tokens. */
  "tokens.manage": "admin",
  /** Give and take roles on the instance or a code location. */
  "grants.manage": "admin",
  /** Change instance settings. */
  "settings.manage": "admin",
  /** Read the audit log. */
  "audit.view": "admin",
} as const satisfies Record<string, Role>;

/** A permission an API route may require. */
export type Permission = keyof typeof PERMISSION_ROLES;

/** Every permission, in the order of `PERMISSION_ROLES`. */
export const PERMISSIONS = Object.keys(PERMISSION_ROLES) as readonly Permission[];

/** A role given on the whole instance (`location: null`) or on one code location. */
export interface Grant {
  readonly role: Role;
  readonly location: string | null;
}

/** Whether `role` holds `permission` (its own or through a weaker role). */
export function roleAllows(role: Role, permission: Permission): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(PERMISSION_ROLES[permission]);
}

/**
 * Whether some grant holds `permission` on `location`: an instance-wide grant holds it everywhere, a
 * location grant only on its location. `location: null` asks about the instance as a whole (lists of
 * every location's objects), which only an instance-wide grant covers.
 *
 * @example
 * grantsAllow([{ role: "launcher", location: "finance" }], "runs.launch", "finance"); // true
 * grantsAllow([{ role: "launcher", location: "finance" }], "runs.launch", "ops"); // false
 */
export function grantsAllow(
  grants: readonly Grant[],
  permission: Permission,
  location: string | null,
): boolean {
  return grants.some(
    (grant) => roleAllows(grant.role, permission) && (grant.location === null || grant.location === location),
  );
}

/** Whether `value` names a role. */
export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
