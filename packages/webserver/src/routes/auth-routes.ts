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
              kind: { type: "string", enum: ["user", "agent", "run", "anonymous"] },
              grants: {
                type: "array",
                items: {
                  type: "object",
                  properties: { role: { type: "string" }, location: { type: ["string", "null"] } },
                },
              },
              instancePermissions: { type: "array", items: { type: "string" } },
            },
          },
        },
      },
    },
    async (request) => {
      const principal = request.principal!;
      return {
        authEnabled: ctx.auth.enabled,
        name: principal.name,
        kind: principal.kind,
        grants: principal.grants,
        instancePermissions: PERMISSIONS.filter((p) => grantsAllow(principal.grants, p, null)),
      };
    },
  );

  app.get<{ Querystring: { limit: number; beforeId?: number } }>(
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
          },
        },
        response: {
          200: { type: "object", properties: { entries: { type: "array", items: auditEntrySchema } } },
        },
      },
    },
    async (request) => ({
      entries: await ctx.storage.auth.listAudit({
        limit: request.query.limit,
        ...(request.query.beforeId !== undefined ? { beforeId: request.query.beforeId } : {}),
      }),
    }),
  );
}
