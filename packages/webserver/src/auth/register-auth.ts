import type { AuthSettings } from "@bosun/instance";
import type { BosunStorage } from "@bosun/storage";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { ApiError } from "../api/api-error.ts";
import { isMutating } from "../server/request-guards.ts";
import { auditEntry } from "./audit-entry.ts";
import { authenticateSession, CSRF_HEADER, checkCsrf, type SignedInSession } from "./authenticate-session.ts";
import { authenticateToken } from "./authenticate-token.ts";
import { authorize } from "./authorize.ts";
import { readCookie, SESSION_COOKIE } from "./cookies.ts";
import { ANONYMOUS_ADMIN, type Principal } from "./principal.ts";
import { isApiRoute, ROUTE_ACCESS, type RouteAccess, routeKey, tokenKindOf } from "./route-access.ts";
import { VerifiedTokens } from "./verified-tokens.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** Who is calling; null before authentication, and on public routes when auth is on. */
    principal: Principal | null;
    /** Why the call was refused before its handler ran, for the audit log; null when it was not. */
    refusal: string | null;
    /** The sign-in session that authenticated the call; null for a token or no caller. */
    signedInSession: SignedInSession | null;
  }
}

/** Thrown at startup for a route `ROUTE_ACCESS` does not list: no route is served without a decided permission. */
export class RouteWithoutAccessError extends Error {
  constructor(readonly route: string) {
    super(`API route ${route} has no entry in ROUTE_ACCESS (packages/webserver/src/auth/route-access.ts)`);
    this.name = "RouteWithoutAccessError";
  }
}

/** A run token acts for its own run only: 403 naming the run it is for, never another run's existence. */
function checkRunScope(tokenRunId: string | null, params: unknown): void {
  const runId =
    typeof params === "object" && params !== null ? (params as Record<string, unknown>).runId : undefined;
  if (tokenRunId === null || runId !== tokenRunId)
    throw new ApiError("FORBIDDEN", `this run token acts for run ${tokenRunId ?? "(none)"} only`, {
      reason: "other_run",
    });
}

/** The request's route and what it needs; null for routes outside the API (the UI). */
export function accessOf(request: FastifyRequest): { key: string; access: RouteAccess } | null {
  const url = request.routeOptions.url;
  if (url === undefined || !isApiRoute(request.method, url)) return null;
  const key = routeKey(request.method, url);
  const access = ROUTE_ACCESS[key];
  return access ? { key, access } : null;
}

/**
 * Authentication, authorization and the audit log, as hooks: register before any route. Every API route
 * must be in `ROUTE_ACCESS` (checked as routes register). With auth on, a caller is authenticated when
 * the request arrives (401 before the body is read) and authorized once the body is parsed (a launch
 * names its location in the body); every mutating call, allowed or refused, is written to the audit log
 * after it is answered. With auth off every caller is an anonymous admin and nothing is audited.
 *
 * A caller is authenticated by its bearer token, or (when sign-in is configured and no Authorization
 * header is sent) by its session cookie; a mutating call the cookie authenticates must also carry the
 * session's CSRF token. Both give the same `Principal`, so permissions and the audit log do not care which.
 */
export async function registerAuth(
  app: FastifyInstance,
  options: {
    readonly settings: AuthSettings;
    readonly storage: BosunStorage;
    readonly now: () => Date;
    /** Whether sign-in sessions are accepted (OpenID Connect is configured). */
    readonly sessions: boolean;
  },
): Promise<void> {
  const { settings, storage, now } = options;
  const tokens = new VerifiedTokens(storage.auth, now);
  if (settings.enabled) {
    await tokens.start();
    app.addHook("onClose", () => tokens.stop());
  }
  app.decorateRequest("principal", null);
  app.decorateRequest("refusal", null);
  app.decorateRequest("signedInSession", null);

  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (isApiRoute(method, route.url) && !ROUTE_ACCESS[routeKey(method, route.url)])
        throw new RouteWithoutAccessError(routeKey(method, route.url));
    }
  });

  const refused = (request: FastifyRequest, error: unknown): never => {
    if (error instanceof ApiError) request.refusal = `${error.code}: ${error.message}`;
    throw error;
  };

  app.addHook("onRequest", async (request, reply) => {
    const found = accessOf(request);
    if (!found) return;
    const machineKind = tokenKindOf(found.access);
    if (machineKind !== null) {
      // Agents and run workers prove what they act for, auth on or off: no cookie, no anonymous caller.
      try {
        request.principal = await authenticateToken(
          storage.auth,
          tokens,
          request.headers.authorization,
          now(),
          (error) => request.log.warn({ err: error }, "could not record a token's use"),
          machineKind,
        );
        if (machineKind === "run") checkRunScope(request.principal.runId ?? null, request.params);
      } catch (error) {
        if (error instanceof ApiError && error.code === "UNAUTHENTICATED")
          void reply.header("www-authenticate", 'Bearer realm="bosun"');
        refused(request, error);
      }
      return;
    }
    if (!settings.enabled) {
      request.principal = ANONYMOUS_ADMIN;
      return;
    }
    if ("public" in found.access) return;
    const sessionId =
      options.sessions && request.headers.authorization === undefined
        ? readCookie(request.headers.cookie, SESSION_COOKIE)
        : undefined;
    if (sessionId !== undefined) {
      try {
        const { principal, session } = await authenticateSession(
          storage.sessions,
          sessionId,
          { idleMs: settings.sessionIdleMs, now: now() },
          (error) => request.log.warn({ err: error }, "could not record a session's use"),
        );
        request.principal = principal;
        request.signedInSession = session;
        if (isMutating(request.method)) checkCsrf(session.record, request.headers[CSRF_HEADER]);
      } catch (error) {
        refused(request, error);
      }
      return;
    }
    try {
      request.principal = await authenticateToken(
        storage.auth,
        tokens,
        request.headers.authorization,
        now(),
        (error) => request.log.warn({ err: error }, "could not record a token's use"),
      );
    } catch (error) {
      void reply.header("www-authenticate", 'Bearer realm="bosun"');
      refused(request, error);
    }
  });

  app.addHook("preValidation", async (request) => {
    if (!settings.enabled) return;
    const found = accessOf(request);
    if (!found || !("permission" in found.access) || request.principal === null) return;
    try {
      // A run is looked up in the deployment the request works in (resolved after authentication).
      const runs = request.deployment?.storage.runs ?? storage.runs;
      await authorize(request.principal, found.access.permission, found.access.scope, request, runs);
    } catch (error) {
      refused(request, error);
    }
  });

  app.addHook("onResponse", async (request, reply) => {
    if (!settings.enabled || !isMutating(request.method)) return;
    const found = accessOf(request);
    // Agents' polls and heartbeats and run workers' event batches are machine traffic many times a
    // second: the agents table and the run's own event log record them, not the audit log.
    if (!found || tokenKindOf(found.access) !== null) return;
    const url = request.routeOptions.url ?? request.url;
    // Guards that ran before authentication (Host, Origin, read-only) refused without a refusal note.
    const refusal =
      request.refusal ??
      (reply.statusCode === 403 || reply.statusCode === 421 ? `HTTP ${reply.statusCode}` : null);
    const entry = auditEntry({
      at: now(),
      principal: request.principal,
      method: request.method,
      url,
      permission: "permission" in found.access ? found.access.permission : null,
      params: request.params,
      body: request.body,
      address: request.ip ?? null,
      statusCode: reply.statusCode,
      refusal,
    });
    try {
      await storage.auth.appendAudit(entry);
    } catch (error) {
      request.log.error({ err: error, action: entry.action }, "could not write the audit log");
    }
  });
}
