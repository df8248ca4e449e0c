import { EVENT_TYPES, isTerminalRunStatus, type NewEvent } from "@bosun/core";
import type { FastifyInstance } from "fastify";
import { ApiError } from "../api/api-error.ts";
import { keySchema } from "../api/schemas.ts";
import type { WebserverContext } from "../server/webserver-context.ts";

/**
 * Run workers reporting over HTTP (hybrid mode: run and step pods hold no database credentials). Each
 * call carries the run token of its run (checked before the body is read) and a batch id chosen by the
 * worker: a batch retried after a lost answer is stored once (the `write_batches` keys of the event log
 * and compute logs), and a batch's events keep their order. Once the run has ended its token is refused.
 */

const runParams = {
  type: "object",
  required: ["runId"],
  additionalProperties: false,
  properties: { runId: keySchema },
} as const;
const batchIdSchema = {
  type: "string",
  pattern: "^[A-Za-z0-9._:-]{1,128}$",
  description: "the worker's id for this batch, the same on every retry of it",
} as const;
const MAX_BATCH = 1000;

interface EventBody {
  batchId: string;
  events: Omit<NewEvent, "runId">[];
}

interface LogsBody {
  batchId: string;
  chunks: { stepKey: string; stream: "stdout" | "stderr"; data: string }[];
}

/** The batch key of a worker's batch: namespaced by what and by run, so no two batches collide. */
function batchKey(what: "events" | "logs", runId: string, batchId: string, part = ""): string {
  return `run-api:${what}:${runId}:${batchId}${part}`;
}

export function registerRunReportingRoutes(app: FastifyInstance, ctx: WebserverContext): void {
  /** 403 RUN_ENDED once the run has a terminal status: the batch that ends it is the last one taken. */
  const requireRunInProgress = async (runId: string) => {
    const run = await ctx.storage.runs.getRun(runId);
    if (!run) throw new ApiError("RUN_NOT_FOUND", `no run ${runId}`, { runId });
    if (isTerminalRunStatus(run.status))
      throw new ApiError(
        "RUN_ENDED",
        `run ${runId} has ended (${run.status}); its run token is no longer accepted`,
        {
          runId,
          status: run.status,
        },
      );
  };

  app.post<{ Params: { runId: string }; Body: EventBody }>(
    "/api/run/v1/runs/:runId/events",
    {
      schema: {
        summary:
          "Append a batch of the run's events, in order; a retried batch (same batchId) is stored once",
        tags: ["run reporting"],
        params: runParams,
        body: {
          type: "object",
          required: ["batchId", "events"],
          additionalProperties: false,
          properties: {
            batchId: batchIdSchema,
            events: {
              type: "array",
              minItems: 1,
              maxItems: MAX_BATCH,
              items: {
                type: "object",
                required: ["type", "timestamp", "level", "message"],
                additionalProperties: false,
                properties: {
                  type: { type: "string", enum: EVENT_TYPES },
                  timestamp: { type: "number" },
                  stepKey: { type: ["string", "null"], maxLength: 512 },
                  level: { type: "string", enum: ["debug", "info", "warning", "error", "critical"] },
                  message: { type: "string" },
                  data: {},
                },
              },
            },
          },
        },
        response: {
          200: {
            type: "object",
            properties: {
              stored: { type: "integer", description: "events stored by this call; 0 for a retried batch" },
              lastSeq: { type: ["integer", "null"] },
            },
          },
        },
      },
    },
    async (request) => {
      const { runId } = request.params;
      await requireRunInProgress(runId);
      const events = request.body.events.map(
        (event) => ({ ...event, runId, stepKey: event.stepKey ?? null, data: event.data ?? {} }) as NewEvent,
      );
      const stored = await ctx.storage.events.appendEvents(events, {
        batchKey: batchKey("events", runId, request.body.batchId),
      });
      return { stored: stored.length, lastSeq: stored.at(-1)?.seq ?? null };
    },
  );

  app.post<{ Params: { runId: string }; Body: LogsBody }>(
    "/api/run/v1/runs/:runId/logs",
    {
      schema: {
        summary:
          "Append a batch of compute-log chunks (stdout and stderr of steps); a retried batch is stored once",
        tags: ["run reporting"],
        params: runParams,
        body: {
          type: "object",
          required: ["batchId", "chunks"],
          additionalProperties: false,
          properties: {
            batchId: batchIdSchema,
            chunks: {
              type: "array",
              minItems: 1,
              maxItems: MAX_BATCH,
              items: {
                type: "object",
                required: ["stepKey", "stream", "data"],
                additionalProperties: false,
                properties: {
                  stepKey: { type: "string", minLength: 1, maxLength: 512 },
                  stream: { type: "string", enum: ["stdout", "stderr"] },
                  data: { type: "string" },
                },
              },
            },
          },
        },
        response: { 200: { type: "object", properties: { chunks: { type: "integer" } } } },
      },
    },
    async (request) => {
      const { runId } = request.params;
      await requireRunInProgress(runId);
      // Each chunk has its own key within the batch: a retry after a partial write stores only the rest.
      for (const [index, chunk] of request.body.chunks.entries())
        await ctx.storage.computeLogs.append(runId, chunk.stepKey, chunk.stream, chunk.data, {
          batchKey: batchKey("logs", runId, request.body.batchId, `:${index}`),
        });
      return { chunks: request.body.chunks.length };
    },
  );
}
