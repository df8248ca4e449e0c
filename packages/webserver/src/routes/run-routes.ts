import { RUN_STATUSES, type RunStatus } from "@bosun/core";
import { InvalidRunCursorError, type RunFilter } from "@bosun/storage";
import type { FastifyInstance } from "fastify";
import { ApiError, invalidInput } from "../api/api-error.ts";
import { keySchema, nameSchema, runPageSchema, runSchema } from "../api/schemas.ts";
import { visibleLocations } from "../auth/visible-locations.ts";
import { contextOf } from "../deployments/deployment-scope.ts";
import { INPUT_LIMITS } from "../input/input-limits.ts";
import type { LaunchBody } from "../runs/launch-body.ts";
import { launchRun } from "../runs/launch-run.ts";
import { type ReexecuteBody, reexecuteRun } from "../runs/reexecute-run.ts";
import { terminateFromApi } from "../runs/terminate-run.ts";
import { requireRun } from "../server/lookups.ts";

export const runIdParams = {
  type: "object",
  required: ["id"],
  additionalProperties: false,
  properties: { id: { type: "string", minLength: 1, maxLength: 128 } },
} as const;

const runResponse = { type: "object", properties: { run: runSchema } } as const;

interface RunListQuery {
  status?: RunStatus[];
  job?: string;
  tag?: string[];
  createdAfter?: string;
  createdBefore?: string;
  limit: number;
  cursor?: string;
}

export function registerRunRoutes(app: FastifyInstance): void {
  app.post<{ Body: LaunchBody }>(
    "/api/runs",
    {
      schema: {
        summary: "Launch a run of a job or an asset selection; it is created QUEUED for the run coordinator",
        tags: ["runs"],
        body: {
          type: "object",
          required: ["location"],
          additionalProperties: false,
          properties: {
            location: nameSchema,
            job: nameSchema,
            assetSelection: {
              type: "array",
              minItems: 1,
              maxItems: INPUT_LIMITS.selectionItems,
              items: keySchema,
            },
            runConfig: { type: "object", description: "Run config (ops, resources, execution)" },
            tags: {
              type: "object",
              maxProperties: INPUT_LIMITS.tagCount,
              propertyNames: { minLength: 1, maxLength: INPUT_LIMITS.nameLength },
              additionalProperties: { type: "string", maxLength: INPUT_LIMITS.tagValueLength },
            },
            partitionKey: { type: ["string", "null"], minLength: 1, maxLength: INPUT_LIMITS.keyLength },
          },
        },
        response: { 201: runResponse },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const run = await launchRun(ctx, request.body);
      return reply.code(201).send({ run });
    },
  );

  app.get<{ Querystring: RunListQuery }>(
    "/api/runs",
    {
      schema: {
        summary: "Runs, newest first, filtered, with cursor pagination (pass nextCursor back as cursor)",
        tags: ["runs"],
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            status: { type: "array", items: { type: "string", enum: RUN_STATUSES }, description: "any of" },
            job: nameSchema,
            tag: {
              type: "array",
              maxItems: INPUT_LIMITS.tagCount,
              items: { type: "string", pattern: "^[^=]+=", maxLength: INPUT_LIMITS.keyLength },
              description: "key=value; every given tag must match",
            },
            createdAfter: { type: "string", format: "date-time" },
            createdBefore: { type: "string", format: "date-time" },
            limit: { type: "integer", minimum: 1, maximum: 1000, default: 50 },
            cursor: { type: "string", minLength: 1, maxLength: 1024 },
          },
        },
        response: { 200: runPageSchema },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const q = request.query;
      const filter: { -readonly [K in keyof RunFilter]: RunFilter[K] } = {};
      if (q.status) filter.statuses = [...new Set(q.status)];
      if (q.job) filter.jobName = q.job;
      if (q.tag) {
        const tags: Record<string, string> = {};
        for (const [i, pair] of q.tag.entries()) {
          const at = pair.indexOf("=");
          const key = pair.slice(0, at);
          const value = pair.slice(at + 1);
          if (key in tags && tags[key] !== value)
            throw invalidInput([
              { field: `query.tag[${i}]`, message: `tag "${key}" is given twice with different values` },
            ]);
          tags[key] = value;
        }
        filter.tags = tags;
      }
      if (q.createdAfter) filter.createdAfter = queryDate("createdAfter", q.createdAfter);
      if (q.createdBefore) filter.createdBefore = queryDate("createdBefore", q.createdBefore);
      const visible = visibleLocations(request.principal!, "view");
      if (visible !== null) filter.codeLocations = [...visible];
      try {
        return await ctx.storage.runs.listRuns(filter, {
          limit: q.limit,
          cursor: q.cursor ?? null,
        });
      } catch (error) {
        if (error instanceof InvalidRunCursorError)
          throw new ApiError("INVALID_CURSOR", error.message, {
            issues: [{ field: "query.cursor", message: "not a cursor this API handed out" }],
          });
        throw error;
      }
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/runs/:id",
    {
      schema: {
        summary: "One run",
        tags: ["runs"],
        params: runIdParams,
        response: { 200: runResponse },
      },
    },
    async (request) => ({ run: await requireRun(contextOf(request), request.params.id) }),
  );

  app.post<{ Params: { id: string } }>(
    "/api/runs/:id/terminate",
    {
      schema: {
        summary: "Stop a run: a queued run is canceled; a started one is stopped through the run launcher",
        tags: ["runs"],
        params: runIdParams,
        response: { 200: runResponse },
      },
    },
    async (request) => ({ run: await terminateFromApi(contextOf(request), request.params.id) }),
  );

  app.post<{ Params: { id: string }; Body: ReexecuteBody }>(
    "/api/runs/:id/reexecute",
    {
      schema: {
        summary:
          "Re-execute a finished run: all steps, from failure, or selected steps; the new run is QUEUED",
        tags: ["runs"],
        params: runIdParams,
        body: {
          type: "object",
          required: ["mode"],
          additionalProperties: false,
          properties: {
            mode: { type: "string", enum: ["all", "fromFailure", "selected"] },
            stepKeys: {
              type: "array",
              maxItems: INPUT_LIMITS.selectionItems,
              items: keySchema,
              description: 'with mode "selected"',
            },
          },
        },
        response: { 201: runResponse },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const run = await reexecuteRun(ctx, request.params.id, request.body);
      return reply.code(201).send({ run });
    },
  );
}

/**
 * A date-time the schema accepted as RFC 3339 but JavaScript cannot represent (a leap second `23:59:60`,
 * a year past 275760) is a 400 here rather than an invalid date sent to the database.
 */
function queryDate(name: string, text: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime()))
    throw invalidInput([
      { field: `query.${name}`, message: "must be a date-time JavaScript can represent (no leap second)" },
    ]);
  return date;
}
