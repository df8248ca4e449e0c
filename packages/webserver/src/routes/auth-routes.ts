import { grantsAllow, PERMISSIONS } from "@bosun/core";
import type { FastifyInstance } from "fastify";
import { positionSchema } from "../api/schemas.ts";
import type { WebserverContext } from "../server/webserver-context.ts";

const auditEntrySchema = {
  type: "object",
  properties: {
    id: { type: "integer" },
    at: { type: "string", format: "date-time" },
    actor: { type: "string", description: "token name, signed-in user, or anonymous" },
    actorKind: { type: "string" },
    action: { type: "string", description: "method and route, e.g. POST /api/runs/:id/terminate" },
    permission: { type: ["string", "null"] },
    object: { type: ["string", "null"], description: "what it acted on, e.g. run <id>" },
    address: { type: ["string", "null"] },
    decision: { type: "string", enum: ["allowed", "denied"] },
    statusCode: { type: "integer" },
    reason: { type: ["string", "null"] },
  },
} as const;

interface AuditListQuery {
  limit: number;
  beforeId?: number;
  actor?: string;
  action?: string;
  decision?: "allowed" | "denied";
}

export function registerAuthRoutes(app: FastifyInstance, ctx: WebserverContext): void {
  app.get(
    "/api/auth/me",
    {
      schema: {
        summary: "Who is calling: name, kind, grants, and the permissions held on the whole instance",
        tags: ["auth"],
        response: {
          200: {
            type: "object",
            properties: {
              authEnabled: { type: "boolean" },
              name: { type: "string" },
              kind: { type: "string", enum: ["user", "agent", "run", "session", "anonymous"] },
              email: {
                type: ["string", "null"],
                description: "a signed-in user's email, when the provider gave one",
              },
              csrfToken: {
                type: ["string", "null"],
                description: "for a signed-in session: send it in X-Bosun-CSRF on every mutating call",
              },
              signInAvailable: { type: "boolean", description: "whether /auth/login signs people in" },
              grants: {
                type: "array",
                items: {
                  type: "object",
                  properties: { role: { type: "string" }, location: { type: ["string", "null"] } },
                },
              },
              instancePermissions: { type: "array", items: { type: "string" } },
              locationPermissions: {
                type: "object",
                description: "for each location a grant names: the permissions held there",
                additionalProperties: { type: "array", items: { type: "string" } },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const principal = request.principal!;
      const session = request.signedInSession?.record ?? null;
      return {
        authEnabled: ctx.auth.enabled,
        name: principal.name,
        kind: principal.kind,
        email: session?.email ?? null,
        csrfToken: session?.csrfToken ?? null,
        signInAvailable: ctx.signIn !== null,
        grants: principal.grants,
        instancePermissions: PERMISSIONS.filter((p) => grantsAllow(principal.grants, p, null)),
        // So the UI can hide what the caller cannot do, without a second copy of the role rules.
        locationPermissions: Object.fromEntries(
          principal.grants
            .flatMap((grant) => (grant.location === null ? [] : [grant.location]))
            .map((location) => [
              location,
              PERMISSIONS.filter((p) => grantsAllow(principal.grants, p, location)),
            ]),
        ),
      };
    },
  );

  app.post<{ Params: { subject: string } }>(
    "/api/users/:subject/sessions/revoke",
    {
      schema: {
        summary: "Signs a user out everywhere: revokes every session of this OIDC subject (admin)",
        tags: ["auth"],
        params: {
          type: "object",
          required: ["subject"],
          properties: { subject: { type: "string", minLength: 1, maxLength: 255 } },
        },
        response: {
          200: {
            type: "object",
            properties: { revoked: { type: "integer", description: "how many sessions were revoked" } },
          },
        },
      },
    },
    async (request) => ({
      revoked: await ctx.storage.sessions.revokeUserSessions(request.params.subject, ctx.now()),
    }),
  );

  app.get<{ Querystring: AuditListQuery }>(
    "/api/audit",
    {
      schema: {
        summary: "The audit log of mutating calls, allowed and denied, newest first (admin)",
        tags: ["auth"],
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            limit: { type: "integer", minimum: 1, maximum: 1000, default: 100 },
            beforeId: { ...positionSchema, description: "only entries older than this id" },
            actor: {
              type: "string",
              minLength: 1,
              maxLength: 255,
              description: "only this caller (token name, signed-in user, anonymous), exactly",
            },
            action: {
              type: "string",
              minLength: 1,
              maxLength: 255,
              description: "only actions containing this text, any case (e.g. terminate)",
            },
            decision: {
              type: "string",
              enum: ["allowed", "denied"],
              description: "only allowed or denied calls",
            },
          },
        },
        response: {
          200: { type: "object", properties: { entries: { type: "array", items: auditEntrySchema } } },
        },
      },
    },
    async (request) => {
      const { limit, beforeId, actor, action, decision } = request.query;
      return {
        entries: await ctx.storage.auth.listAudit({
          limit,
          ...(beforeId !== undefined ? { beforeId } : {}),
          ...(actor !== undefined ? { actor } : {}),
          ...(action !== undefined ? { action } : {}),
          ...(decision !== undefined ? { decision } : {}),
        }),
      };
    },
  );
}
