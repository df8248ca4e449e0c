import type { Permission } from "@bosun/core";

/**
 * Where a route's object lives, so that a grant on one code location can be checked:
 * - `instance`: lists and views across every location, or instance settings; only an instance-wide
 *   grant covers them;
 * - `location`: the location named by a path parameter or the body's `location` field, checked by name
 *   before anything is looked up (a caller learns nothing about locations it cannot see);
 * - `run`: the run named by a path parameter; its code location is read only for callers without an
 *   instance-wide grant, and a run that does not exist is refused exactly like one they cannot see.
 */
export type AccessScope =
  | { readonly on: "instance" }
  | { readonly on: "location"; readonly from: "params.location" | "params.name" | "body.location" }
  | { readonly on: "run"; readonly param: "id" };

/**
 * What a route needs: `public` routes answer anyone (probes, the API document, sign-in); `signedIn`
 * routes any authenticated caller; the others a permission on a scope.
 */
export type RouteAccess =
  | { readonly public: true }
  | { readonly signedIn: true }
  | { readonly permission: Permission; readonly scope: AccessScope };

const INSTANCE: AccessScope = { on: "instance" };
const RUN: AccessScope = { on: "run", param: "id" };
const LOCATION_PARAM: AccessScope = { on: "location", from: "params.location" };

const onInstance = (permission: Permission): RouteAccess => ({ permission, scope: INSTANCE });
const onRun = (permission: Permission): RouteAccess => ({ permission, scope: RUN });
const onLocation = (permission: Permission): RouteAccess => ({ permission, scope: LOCATION_PARAM });

/**
 * Every API route, by method and path as registered, with what it needs. The one place a route's
 * permission is decided: the webserver refuses to start with a route missing from it, and a test walks
 * the OpenAPI document against it.
 */
export const ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {
  // System: probes and the API document answer anyone (a probe carries no token).
  "GET /api/health": { public: true },
  "GET /api/ready": { public: true },
  "GET /api/openapi.json": { public: true },
  "GET /api/server-info": onInstance("view"),
  "GET /api/daemon/health": onInstance("view"),
  "GET /api/queue": onInstance("view"),

  // Sign-in through OpenID Connect: public by design (nobody is signed in yet); the callback checks
  // the provider's answer itself. Signing out needs the session, and its CSRF token.
  "GET /auth/login": { public: true },
  "GET /auth/callback": { public: true },
  "POST /auth/logout": { signedIn: true },

  // Who is calling, sessions, and the audit log.
  "GET /api/auth/me": { signedIn: true },
  "POST /api/users/:subject/sessions/revoke": onInstance("grants.manage"),
  "GET /api/audit": onInstance("audit.view"),
  "GET /api/tokens": onInstance("tokens.manage"),
  "POST /api/tokens": onInstance("tokens.manage"),
  "POST /api/tokens/:id/revoke": onInstance("tokens.manage"),

  // Code locations and jobs.
  "GET /api/locations": onInstance("view"),
  "POST /api/locations/:name/reload": {
    permission: "locations.reload",
    scope: { on: "location", from: "params.name" },
  },
  "GET /api/locations/:location/jobs": onLocation("view"),
  "GET /api/locations/:location/jobs/:job": onLocation("view"),

  // Assets (across locations).
  "GET /api/assets": onInstance("view"),
  "GET /api/assets/*": onInstance("view"),
  "GET /api/asset-partitions": onInstance("view"),

  // Runs, their events and logs.
  "POST /api/runs": { permission: "runs.launch", scope: { on: "location", from: "body.location" } },
  "GET /api/runs": onInstance("view"),
  "GET /api/runs/:id": onRun("view"),
  "POST /api/runs/:id/terminate": onRun("runs.terminate"),
  "POST /api/runs/:id/reexecute": onRun("runs.launch"),
  "GET /api/runs/:id/events": onRun("view"),
  "GET /api/runs/:id/events/stream": onRun("view"),
  "GET /api/runs/:id/logs": onRun("view"),
  "GET /api/runs/:id/logs/:stepKey/:stream": onRun("view"),
  "GET /api/runs/:id/logs/:stepKey/:stream/stream": onRun("view"),

  // Schedules and sensors.
  "GET /api/schedules": onInstance("view"),
  "GET /api/sensors": onInstance("view"),
  "POST /api/schedules/:location/:name/start": onLocation("instigators.manage"),
  "POST /api/schedules/:location/:name/stop": onLocation("instigators.manage"),
  "GET /api/schedules/:location/:name/ticks": onLocation("view"),
  "POST /api/sensors/:location/:name/start": onLocation("instigators.manage"),
  "POST /api/sensors/:location/:name/stop": onLocation("instigators.manage"),
  "GET /api/sensors/:location/:name/ticks": onLocation("view"),
};

/** The table's key of a route: `GET /api/runs/:id`. HEAD is answered as GET. */
export function routeKey(method: string, url: string): string {
  return `${method === "HEAD" ? "GET" : method} ${url}`;
}

/** Whether a registered route is part of the API or sign-in (and so must be in `ROUTE_ACCESS`). */
export function isApiRoute(method: string, url: string): boolean {
  return method !== "OPTIONS" && (url === "/api" || url.startsWith("/api/") || url.startsWith("/auth/"));
}
