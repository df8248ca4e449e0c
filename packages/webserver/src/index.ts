/**
 * Bosun's webserver: the HTTP API (JSON + Server-Sent Events) over storage and code locations, and the
 * built UI. It never imports user code: it reads snapshots from the workspace and asks code servers.
 */
export {
  ApiError,
  type ApiErrorBody,
  type ApiErrorCode,
  type FieldIssue,
  STATUS_BY_CODE,
} from "./api/api-error.ts";
export { buildOpenApiDocument } from "./api/openapi.ts";
export { type RunWebserverCommandOptions, runWebserverCommand } from "./cli.ts";
export type { RunTagChecks } from "./runs/check-run-tags.ts";
export { createWebserver, type WebserverOptions } from "./server/create-webserver.ts";
export {
  type RunningWebserver,
  type StartWebserverOptions,
  startWebserver,
} from "./server/start-webserver.ts";
export type { TerminateRun } from "./server/webserver-context.ts";
export { UI_NOT_BUILT_HTML } from "./ui/static-ui.ts";
