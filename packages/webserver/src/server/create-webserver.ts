import type { ContainerContextChecks, Workspace } from "@bosun/code-server";
import type { QueueLimits } from "@bosun/daemon";
import { AUTH_DISABLED, type AuthSettings } from "@bosun/instance";
import { AgentRequests, RunRequests, workspaceLocations } from "@bosun/runs";
import type { BosunStorage } from "@bosun/storage";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from "fastify";
import { type AgentApiSettings, DEFAULT_AGENT_API_SETTINGS } from "../agent/agent-api-settings.ts";
import { ApiError, invalidInput } from "../api/api-error.ts";
import { RouteCollector } from "../api/openapi.ts";
import { issuesFromValidation, type SchemaValidationIssue } from "../api/validation-issues.ts";
import { createValidatorCompiler } from "../api/validators.ts";
import { OidcSignIn } from "../auth/oidc-sign-in.ts";
import { registerAuth } from "../auth/register-auth.ts";
import { stripDeploymentPrefix } from "../deployments/deployment-address.ts";
import { DeploymentScopes, type DeploymentSources } from "../deployments/deployment-scope.ts";
import { registerDeploymentHook } from "../deployments/register-deployment-hook.ts";
import { INPUT_LIMITS } from "../input/input-limits.ts";
import { registerJsonBodyParser } from "../input/json-body-parser.ts";
import { registerAgentRoutes } from "../routes/agent-routes.ts";
import { registerAssetRoutes } from "../routes/asset-routes.ts";
import { registerAuthRoutes } from "../routes/auth-routes.ts";
import { registerDeploymentRoutes } from "../routes/deployment-routes.ts";
import { registerDesiredLocationRoutes } from "../routes/desired-locations-routes.ts";
import { registerEventRoutes } from "../routes/event-routes.ts";
import { registerInstigatorRoutes } from "../routes/instigator-routes.ts";
import { registerLocationRoutes } from "../routes/location-routes.ts";
import { registerLogRoutes } from "../routes/log-routes.ts";
import { registerRunReportingRoutes } from "../routes/run-reporting-routes.ts";
import { registerRunRoutes } from "../routes/run-routes.ts";
import { registerSignInRoutes } from "../routes/sign-in-routes.ts";
import { registerSystemRoutes } from "../routes/system-routes.ts";
import { registerTokenRoutes } from "../routes/token-routes.ts";
import type { RunTagChecks } from "../runs/check-run-tags.ts";
import { createUiHandler, defaultUiDirectory } from "../ui/static-ui.ts";
import { answerClientError, answerFrameworkError } from "./client-errors.ts";
import { createHostPolicy } from "./host-policy.ts";
import { registerRequestGuards } from "./request-guards.ts";
import { withRequestRedaction } from "./request-log.ts";
import { storageOutage } from "./storage-outage.ts";
import type { TerminateRun, WebserverContext } from "./webserver-context.ts";

/** What the webserver serves from (storage, workspace) and how it behaves. */
export interface WebserverOptions {
  readonly storage: BosunStorage;
  readonly workspace: Workspace;
  /** Refuse every mutating call (POST, PUT, PATCH, DELETE) with 403 READ_ONLY. */
  readonly readOnly?: boolean;
  /**
   * `auth` of bosun.yaml (`instance.auth`). Default: off, every caller may do everything (for loopback
   * use). On: every API call but the probes needs a token, roles are enforced and mutating calls audited.
   */
  readonly auth?: AuthSettings;
  /** Stops a started run through the deployment's run launcher. Without it only QUEUED runs can be canceled. */
  readonly terminateRun?: TerminateRun;
  /** Fastify's logger option (pino): false (default) or options. Request bodies and headers are never logged. */
  readonly logger?: FastifyServerOptions["logger"];
  /** The built UI; default `packages/ui/dist`. Null serves the "UI not built" page. */
  readonly uiDirectory?: string | null;
  /** SSE heartbeat comment interval (default 15 s). */
  readonly sseHeartbeatMs?: number;
  /** How often a live log stream checks whether its run ended (default 2 s). */
  readonly logStreamStatusPollMs?: number;
  /** A daemon type is unhealthy when its latest heartbeat is older than this (default 60 s). */
  readonly daemonHeartbeatToleranceMs?: number;
  /** The run coordinator's limits (bosun.yaml `run_coordinator`), shown with the queue. */
  readonly queueLimits?: QueueLimits;
  /**
   * The URL people and the UI reach this webserver at (e.g. `https://bosun.example.com`); its host name
   * is accepted in `Host` and `Origin` besides loopback names. See docs/webserver-api.md "Allowed hosts".
   */
  readonly publicUrl?: string;
  /** More host names to answer to (`bosun.internal`, `*.example.com`); `["*"]` turns the Host check off. */
  readonly allowedHosts?: readonly string[];
  /** The address the server binds (set by `startWebserver`); a specific address is an allowed Host. */
  readonly bindHost?: string;
  /** Retry-After (seconds) on 503 answers, e.g. while the database is unreachable (default 5). */
  readonly retryAfterSeconds?: number;
  /**
   * Checks of launch request tags by tag key: the `bosun` command passes its plugins' (the Kubernetes
   * plugin checks `bosun-k8s/config`), so a bad value is refused with 400 instead of failing the run.
   */
  readonly runTagChecks?: RunTagChecks;
  /**
   * Checks of `container_context` sections of a locations file by key: the `bosun` command passes its
   * plugins' (the Kubernetes plugin checks `k8s`). Without one, a location with a `container_context`
   * section is refused as an unknown key.
   */
  readonly containerContextChecks?: ContainerContextChecks;
  /** The agent API's long poll, leases and run tokens (defaults: `DEFAULT_AGENT_API_SETTINGS`). */
  readonly agentApi?: Partial<AgentApiSettings>;
  /** Where the OIDC client secret is read from (the variable `auth.oidc.client_secret_env` names); default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly now?: () => Date;
  /**
   * Deployments besides `prod` (which is `storage` and `workspace`): the registry that resolves a name
   * to its storage, and each one's code locations. Without it the webserver serves `prod` alone.
   */
  readonly deployments?: DeploymentSources;
}

/**
 * Bosun's HTTP API over storage and code locations, as a Fastify instance (not yet listening).
 * Stateless: several replicas can share one database; the only cache is the workspace's snapshots.
 *
 * @example
 * const app = await createWebserver({ storage, workspace, readOnly: false });
 * await app.listen({ host: "127.0.0.1", port: 3000 });
 */
export async function createWebserver(options: WebserverOptions): Promise<FastifyInstance> {
  const auth = options.auth ?? AUTH_DISABLED;
  const ctx: WebserverContext = {
    storage: options.storage,
    workspace: options.workspace,
    runRequests: new RunRequests({
      storage: options.storage,
      locations: workspaceLocations(options.workspace),
    }),
    readOnly: options.readOnly ?? false,
    auth,
    signIn:
      auth.enabled && auth.oidc !== null
        ? OidcSignIn.fromEnvironment(auth.oidc, options.env ?? process.env)
        : null,
    // Browsers keep Secure cookies off plain http, so only an https public URL can ask for them.
    cookiePolicy: { secure: options.publicUrl?.startsWith("https:") ?? false },
    publicUrl: options.publicUrl ?? null,
    terminateRun: options.terminateRun ?? null,
    sseHeartbeatMs: options.sseHeartbeatMs ?? 15_000,
    logStreamStatusPollMs: options.logStreamStatusPollMs ?? 2_000,
    daemonHeartbeatToleranceMs: options.daemonHeartbeatToleranceMs ?? 60_000,
    queueLimits: options.queueLimits ?? null,
    runTagChecks: options.runTagChecks ?? {},
    containerContextChecks: options.containerContextChecks ?? {},
    agentApi: { ...DEFAULT_AGENT_API_SETTINGS, ...options.agentApi },
    agentRequests: new AgentRequests(options.storage, options.now),
    now: options.now ?? (() => new Date()),
  };

  const retryAfter = String(options.retryAfterSeconds ?? 5);
  const app = Fastify({
    logger: withRequestRedaction(options.logger),
    bodyLimit: INPUT_LIMITS.bodyBytes,
    // Long enough for every key the schemas allow, so a too-long one is refused naming its field.
    routerOptions: { maxParamLength: INPUT_LIMITS.keyLength + 1 },
    // `/api/d/<deployment>/runs` is `/api/runs` in that deployment: every route is registered once.
    rewriteUrl: stripDeploymentPrefix,
    clientErrorHandler: answerClientError,
    frameworkErrors: answerFrameworkError,
  });
  app.setValidatorCompiler(createValidatorCompiler());
  registerJsonBodyParser(app);

  const routes = new RouteCollector();
  app.addHook("onRoute", (route) => routes.add(route));

  registerRequestGuards(app, {
    hosts: createHostPolicy({
      publicUrl: options.publicUrl,
      allowedHosts: options.allowedHosts,
      bindHost: options.bindHost,
    }),
    readOnly: ctx.readOnly,
  });
  await registerAuth(app, {
    settings: ctx.auth,
    storage: ctx.storage,
    now: ctx.now,
    sessions: ctx.signIn !== null,
  });
  const scopes = new DeploymentScopes(ctx, options.deployments ?? { storages: null });
  registerDeploymentHook(app, scopes);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const apiError = storageOutage(error, ctx.storage.describe()) ?? toApiError(error);
    if (apiError.code === "INTERNAL") request.log.error({ err: error }, "request failed");
    if (apiError.code === "STORAGE_UNAVAILABLE") request.log.warn({ err: error }, "storage unavailable");
    // A client (or EventSource wrapper) told when to come back retries instead of giving up.
    if (apiError.statusCode === 503) void reply.header("retry-after", retryAfter);
    return reply.code(apiError.statusCode).send(apiError.toBody());
  });

  const ui = createUiHandler(options.uiDirectory === undefined ? defaultUiDirectory() : options.uiDirectory);
  app.setNotFoundHandler(async (request, reply) => {
    const pathname = request.url.split("?")[0] ?? "/";
    if (
      pathname === "/api" ||
      pathname.startsWith("/api/") ||
      (request.method !== "GET" && request.method !== "HEAD")
    ) {
      const error = new ApiError("NOT_FOUND", `no route ${request.method} ${pathname}`);
      return reply.code(404).send(error.toBody());
    }
    return ui(request, reply);
  });

  registerSystemRoutes(app, ctx, routes);
  registerLocationRoutes(app);
  registerAssetRoutes(app);
  registerRunRoutes(app);
  registerEventRoutes(app);
  registerLogRoutes(app);
  registerInstigatorRoutes(app);
  registerAuthRoutes(app, ctx);
  registerTokenRoutes(app, ctx);
  registerSignInRoutes(app, ctx);
  registerDeploymentRoutes(app, ctx, scopes);
  registerDesiredLocationRoutes(app, ctx, scopes);
  registerAgentRoutes(app, ctx);
  registerRunReportingRoutes(app, ctx);
  await app.ready();
  return app;
}

function toApiError(error: FastifyError): ApiError {
  if (error instanceof ApiError) return error;
  if (error.validation) {
    return invalidInput(
      issuesFromValidation(error.validationContext, error.validation as unknown as SchemaValidationIssue[]),
    );
  }
  const known = FASTIFY_ERRORS[error.code];
  if (known) return known(error);
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const apiError = new ApiError(
      "INVALID_INPUT",
      error.message,
      error.code ? { reason: error.code } : undefined,
    );
    (apiError as { statusCode: number }).statusCode = status;
    return apiError;
  }
  // Internal details (stack, SQL) go to the log, not to the client.
  return new ApiError("INTERNAL", "internal error; the webserver log has the details");
}

/** Fastify's own refusals, each as the API's error naming the part of the request at fault. */
const FASTIFY_ERRORS: Readonly<Record<string, (error: FastifyError) => ApiError>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () =>
    new ApiError("BODY_TOO_LARGE", `the request body is larger than ${INPUT_LIMITS.bodyBytes} bytes`, {
      issues: [{ field: "body", message: `at most ${INPUT_LIMITS.bodyBytes} bytes (1 MiB)` }],
    }),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () =>
    new ApiError("UNSUPPORTED_MEDIA_TYPE", "request bodies must be JSON", {
      issues: [{ field: "headers.content-type", message: "must be application/json" }],
    }),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () =>
    invalidInput([{ field: "headers.content-length", message: "does not match the body's length" }]),
  FST_ERR_CTP_EMPTY_JSON_BODY: () =>
    invalidInput([{ field: "body", message: "is empty; send a JSON object" }]),
};
