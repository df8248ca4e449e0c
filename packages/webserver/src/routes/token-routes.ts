import { ROLES } from "@bosun/core";
import { type ApiTokenRecord, TOKEN_NAME_PATTERN, type TokenKind, TokenNameTakenError } from "@bosun/storage";
import type { FastifyInstance } from "fastify";
import { ApiError } from "../api/api-error.ts";
import { nameSchema } from "../api/schemas.ts";
import type { WebserverContext } from "../server/webserver-context.ts";

/** A token as the API shows it: never its secret (only a hash is stored). */
const tokenSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    kind: { type: "string", enum: ["user", "agent", "run"] },
    role: { type: "string", enum: ROLES },
    location: { type: ["string", "null"] },
    createdBy: { type: ["string", "null"] },
    createdAt: { type: "string", format: "date-time" },
    expiresAt: { type: ["string", "null"], format: "date-time" },
    lastUsedAt: { type: ["string", "null"], format: "date-time" },
    revokedAt: { type: ["string", "null"], format: "date-time" },
  },
} as const;

const TEN_YEARS_SECONDS = 10 * 365 * 24 * 60 * 60;

interface CreateTokenBody {
  name: string;
  role: (typeof ROLES)[number];
  location?: string | null;
  kind?: Exclude<TokenKind, "run">;
  expiresInSeconds?: number | null;
}

function view(token: ApiTokenRecord) {
  const { runId: _runId, ...rest } = token;
  return rest;
}

export function registerTokenRoutes(app: FastifyInstance, ctx: WebserverContext): void {
  app.get<{ Querystring: { all: boolean } }>(
    "/api/tokens",
    {
      schema: {
        summary: "API tokens in force, newest first (never their secrets); all=true adds revoked ones",
        tags: ["auth"],
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { all: { type: "boolean", default: false } },
        },
        response: { 200: { type: "object", properties: { tokens: { type: "array", items: tokenSchema } } } },
      },
    },
    async (request) => ({
      tokens: (await ctx.storage.auth.listTokens({ includeRevoked: request.query.all })).map(view),
    }),
  );

  app.post<{ Body: CreateTokenBody }>(
    "/api/tokens",
    {
      schema: {
        summary: "Create an API token; its secret is in this response and never again",
        tags: ["auth"],
        body: {
          type: "object",
          required: ["name", "role"],
          additionalProperties: false,
          properties: {
            name: { type: "string", pattern: TOKEN_NAME_PATTERN.source },
            role: { type: "string", enum: ROLES },
            location: {
              ...nameSchema,
              type: ["string", "null"],
              description: "the role on this location only",
            },
            kind: { type: "string", enum: ["user", "agent"], default: "user" },
            expiresInSeconds: {
              type: ["integer", "null"],
              minimum: 60,
              maximum: TEN_YEARS_SECONDS,
              description: "lifetime; null or absent: never expires",
            },
          },
        },
        response: {
          201: { type: "object", properties: { token: tokenSchema, secret: { type: "string" } } },
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      try {
        const { token, secret } = await ctx.storage.auth.createToken({
          name: body.name,
          kind: body.kind ?? "user",
          role: body.role,
          location: body.location ?? null,
          expiresAt:
            body.expiresInSeconds == null
              ? null
              : new Date(ctx.now().getTime() + body.expiresInSeconds * 1000),
          createdBy: request.principal?.name ?? null,
        });
        return reply.code(201).send({ token: view(token), secret });
      } catch (error) {
        if (error instanceof TokenNameTakenError)
          throw new ApiError("TOKEN_NAME_TAKEN", error.message, {
            issues: [{ field: "body.name", message: "a token in force already has this name" }],
          });
        throw error;
      }
    },
  );

  app.post<{ Params: { id: string } }>(
    "/api/tokens/:id/revoke",
    {
      schema: {
        summary: "Revoke an API token by id or name; it stops working at once",
        tags: ["auth"],
        params: {
          type: "object",
          required: ["id"],
          additionalProperties: false,
          properties: { id: { type: "string", minLength: 1, maxLength: 128 } },
        },
        response: { 200: { type: "object", properties: { token: tokenSchema } } },
      },
    },
    async (request) => {
      const revoked = await ctx.storage.auth.revokeToken(request.params.id, ctx.now());
      if (!revoked)
        throw new ApiError("TOKEN_NOT_FOUND", `no token in force with id or name "${request.params.id}"`, {
          token: request.params.id,
        });
      return { token: view(revoked) };
    },
  );
}
