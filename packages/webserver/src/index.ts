/**
 * Bosun's webserver: the HTTP API (JSON + Server-Sent Events) over storage and code locations, and the
 * built UI. It never imports user code: it reads snapshots from the workspace and asks code servers.
 * Browser code takes the API's types from the light entry `@bosun/webserver/api-types`.
 *
 * May depend on: @bosun/core, bosun (the SDK), @bosun/storage, @bosun/instance, @bosun/engine,
 * @bosun/code-server, @bosun/runs, @bosun/daemon (LAYERS in .dependency-cruiser.cjs).
 * Each `//` heading is followed by a blank line: Biome then sorts exports within a section, not across.
 */

// Creating and starting the webserver

export type { RunTagChecks } from "./runs/check-run-tags.ts";
export { createWebserver, type WebserverOptions } from "./server/create-webserver.ts";
export {
  AnonymousBindError,
  assertBindAllowed,
  type RunningWebserver,
  type StartWebserverOptions,
  startWebserver,
} from "./server/start-webserver.ts";
export type { TerminateRun } from "./server/webserver-context.ts";

// Hybrid mode: the agent API's long poll, leases and run tokens

export { type AgentApiSettings, DEFAULT_AGENT_API_SETTINGS } from "./agent/agent-api-settings.ts";
// Deployments: how a request names one, the sources of deployments besides prod, branch changes

export {
  type ChangedDefinition,
  type DefinitionChange,
  type DefinitionChanges,
  diffDefinitions,
  type SnapshotsByLocation,
} from "./deployments/definition-changes.ts";
export { DEPLOYMENT_HEADER } from "./deployments/deployment-address.ts";
export { deploymentNameForBranch } from "./deployments/deployment-name.ts";
export type { DeploymentSources } from "./deployments/deployment-scope.ts";

// Auth: which permission each route needs

export { type AccessScope, ROUTE_ACCESS, type RouteAccess } from "./auth/route-access.ts";

// API errors and the OpenAPI document

export {
  ApiError,
  type ApiErrorBody,
  type ApiErrorCode,
  type FieldIssue,
  STATUS_BY_CODE,
} from "./api/api-error.ts";
export { buildOpenApiDocument } from "./api/openapi.ts";

// Which Host and Origin headers the webserver answers (DNS rebinding protection)

export {
  ALLOWED_HOSTS_ENV,
  type HostSettings,
  PUBLIC_URL_ENV,
  parseHostSettings,
} from "./server/host-settings.ts";

// The UI

export { UI_NOT_BUILT_HTML } from "./ui/static-ui.ts";
