import type { Permission } from "@bosun/core";

/**
 * Where a route's object lives, so that a grant on one code location can be checked:
 * - `instance`: lists and views across every location, or instance settings; only an instance-wide
 *   grant covers them;
 * - `location`: the location named by a path parameter or the body's `location` field, checked by name
 *   before anything is looked up (a caller learns nothing about locations it cannot see);
 * - `run`: the run named by a path parameter; its code location is read only for callers without an
 *   instance-wide grant, and a run that does not exist is refused exactly like one they cannot see;
 * - `visibleLocations`: a list across locations that a grant on some locations lets through, filtered
 *   by the route to the locations the caller's grants cover (`visibleLocations`), so a caller with
 *   location grants only learns nothing about the other locations.
 */
export type AccessScope =
  | { readonly on: "instance" }
  | { readonly on: "visibleLocations" }
  | { readonly on: "location"; readonly from: "params.location" | "params.name" | "body.location" }
  | { readonly on: "run"; readonly param: "id" };

/**
 * What a route needs: `public` routes answer anyone (probes, the API document, sign-in); `signedIn`
 * routes any authenticated caller; `agentToken` routes an agent token only (the agent API);
 * `runToken` routes only the run token of the run their `runId` parameter names (run workers reporting
 * over HTTP); the others a permission on a scope. Agent and run routes need their token even when auth
 * is off: they are how a remote process proves what it acts for.
 */
export type RouteAccess =
  | { readonly public: true }
  | { readonly signedIn: true }
  | { readonly agentToken: true }
  | { readonly runToken: true }
  | { readonly permission: Permission; readonly scope: AccessScope };

/** `x-bosun-permission` and audit wording of a route's access. */
export function describeAccess(access: RouteAccess): string {
  if ("public" in access) return "public";
  if ("signedIn" in access) return "signed-in";
  if ("agentToken" in access) return "agent-token";
  if ("runToken" in access) return "run-token";
  return access.permission;
}

/** The token kind a route takes when it is not the user API's. */
export function tokenKindOf(access: RouteAccess): "agent" | "run" | null {
  if ("agentToken" in access) return "agent";
  if ("runToken" in access) return "run";
  return null;
}

const AGENT: RouteAccess = { agentToken: true };
const RUN_WORKER: RouteAccess = { runToken: true };

const INSTANCE: AccessScope = { on: "instance" };
const RUN: AccessScope = { on: "run", param: "id" };
const LOCATION_PARAM: AccessScope = { on: "location", from: "params.location" };

const onInstance = (permission: Permission): RouteAccess => ({ permission, scope: INSTANCE });
const onRun = (permission: Permission): RouteAccess => ({ permission, scope: RUN });
const onLocation = (permission: Permission): RouteAccess => ({ permission, scope: LOCATION_PARAM });
const onVisibleLocations = (permission: Permission): RouteAccess => ({
  permission,
  scope: { on: "visibleLocations" },
});

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
  "GET /api/locations": onVisibleLocations("view"),
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
  "GET /api/runs": onVisibleLocations("view"),
  "GET /api/runs/:id": onRun("view"),
  "POST /api/runs/:id/terminate": onRun("runs.terminate"),
  "POST /api/runs/:id/reexecute": onRun("runs.launch"),
  "GET /api/runs/:id/events": onRun("view"),
  "GET /api/runs/:id/events/stream": onRun("view"),
  "GET /api/runs/:id/logs": onRun("view"),
  "GET /api/runs/:id/logs/:stepKey/:stream": onRun("view"),
  "GET /api/runs/:id/logs/:stepKey/:stream/stream": onRun("view"),

  // Deployments: instance-wide. Listing is viewing; creating, updating and closing branch deployments
  // is what CI does on each push, so an editor token suffices (docs/deployments.md).
  "GET /api/deployments": onInstance("view"),
  "GET /api/deployments/:name": onInstance("view"),
  "GET /api/deployments/:name/changes": onInstance("view"),
  "POST /api/deployments": onInstance("deployments.manage"),
  "POST /api/deployments/:name/close": onInstance("deployments.manage"),

  // Schedules and sensors.
  "GET /api/schedules": onVisibleLocations("view"),
  "GET /api/sensors": onVisibleLocations("view"),
  "POST /api/schedules/:location/:name/start": onLocation("instigators.manage"),
  "POST /api/schedules/:location/:name/stop": onLocation("instigators.manage"),
  "GET /api/schedules/:location/:name/ticks": onLocation("view"),
  "POST /api/sensors/:location/:name/start": onLocation("instigators.manage"),
  "POST /api/sensors/:location/:name/stop": onLocation("instigators.manage"),
  "GET /api/sensors/:location/:name/ticks": onLocation("view"),

  // Hybrid mode: the deployment's desired code locations (`bosun deploy`) and the agents serving it.
  "PUT /api/deployments/:deployment/locations": onInstance("locations.deploy"),
  "GET /api/deployments/:deployment/locations": onInstance("view"),
  "GET /api/deployments/:deployment/locations/history": onInstance("view"),
  "GET /api/agents": onInstance("view"),

  // The agent API: agent tokens only.
  "POST /api/agent/v1/agents/:agentId/register": AGENT,
  "POST /api/agent/v1/agents/:agentId/heartbeat": AGENT,
  "POST /api/agent/v1/agents/:agentId/poll": AGENT,
  "POST /api/agent/v1/agents/:agentId/requests/:requestId/acknowledge": AGENT,
  "POST /api/agent/v1/agents/:agentId/requests/:requestId/complete": AGENT,

  // Run workers reporting over HTTP: the run token of that run only, while the run has not ended.
  "POST /api/run/v1/runs/:runId/events": RUN_WORKER,
  "POST /api/run/v1/runs/:runId/logs": RUN_WORKER,
};

/** The table's key of a route: `GET /api/runs/:id`. HEAD is answered as GET. */
export function routeKey(method: string, url: string): string {
  return `${method === "HEAD" ? "GET" : method} ${url}`;
}

/** Whether a registered route is part of the API or sign-in (and so must be in `ROUTE_ACCESS`). */
export function isApiRoute(method: string, url: string): boolean {
  return method !== "OPTIONS" && (url === "/api" || url.startsWith("/api/") || url.startsWith("/auth/"));
}
