import { isTerminalRunStatus } from "@bosun/core";
import type { LogStream } from "@bosun/storage";
import type { FastifyInstance } from "fastify";
import { keySchema, positionSchema } from "../api/schemas.ts";
import { contextOf } from "../deployments/deployment-scope.ts";
import { requireRun } from "../server/lookups.ts";
import { resumePoint, SseStream } from "../sse/sse-stream.ts";

const logParams = {
  type: "object",
  required: ["id", "stepKey", "stream"],
  additionalProperties: false,
  properties: {
    id: { type: "string", minLength: 1, maxLength: 128 },
    stepKey: keySchema,
    stream: { type: "string", enum: ["stdout", "stderr"] },
  },
} as const;

const chunkSchema = {
  type: "object",
  properties: {
    data: { type: "string" },
    nextOffset: { type: "integer", description: "Pass back as offset to read on" },
  },
} as const;

type LogParams = { id: string; stepKey: string; stream: LogStream };

export function registerLogRoutes(app: FastifyInstance): void {
  app.get<{ Params: { id: string } }>(
    "/api/runs/:id/logs",
    {
      schema: {
        summary: "Steps of a run that captured stdout or stderr",
        tags: ["logs"],
        params: {
          type: "object",
          required: ["id"],
          additionalProperties: false,
          properties: { id: { type: "string", minLength: 1, maxLength: 128 } },
        },
        response: {
          200: { type: "object", properties: { stepKeys: { type: "array", items: { type: "string" } } } },
        },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const run = await requireRun(ctx, request.params.id);
      return { stepKeys: await ctx.storage.computeLogs.stepKeysWithLogs(run.runId) };
    },
  );

  app.get<{ Params: LogParams; Querystring: { offset: number } }>(
    "/api/runs/:id/logs/:stepKey/:stream",
    {
      schema: {
        summary: "A step's captured stdout or stderr from a byte offset",
        tags: ["logs"],
        params: logParams,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { offset: { ...positionSchema, default: 0 } },
        },
        response: { 200: chunkSchema },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const { id, stepKey, stream } = request.params;
      const run = await requireRun(ctx, id);
      return ctx.storage.computeLogs.read(run.runId, stepKey, stream, request.query.offset);
    },
  );

  app.get<{ Params: LogParams; Querystring: { offset?: number } }>(
    "/api/runs/:id/logs/:stepKey/:stream/stream",
    {
      config: { sse: true },
      schema: {
        summary:
          "Server-Sent Events of a step's stdout or stderr: chunks { data, nextOffset } with id = nextOffset (resume with Last-Event-ID); an `end` event once the run has finished",
        tags: ["logs"],
        params: logParams,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { offset: positionSchema },
        },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const { id, stepKey, stream } = request.params;
      const run = await requireRun(ctx, id);
      let offset = resumePoint(request, request.query.offset);
      const sse = new SseStream(reply, { heartbeatMs: ctx.sseHeartbeatMs });
      const logs = ctx.storage.computeLogs;
      const sendChunk = (chunk: { data: string; nextOffset: number }) => {
        if (chunk.data.length === 0 || chunk.nextOffset <= offset) return;
        offset = chunk.nextOffset;
        sse.send(chunk, { id: chunk.nextOffset });
      };
      // Reads everything stored from `offset`, then says the stream is complete.
      const drainAndEnd = async () => {
        for (;;) {
          if (sse.isClosed) return;
          const chunk = await logs.read(run.runId, stepKey, stream, offset);
          if (chunk.data.length === 0) break;
          sendChunk(chunk);
        }
        sse.send({ runId: run.runId, stepKey, stream, offset }, { event: "end" });
        await sse.close();
      };
      try {
        if (isTerminalRunStatus(run.status)) {
          await drainAndEnd();
          return reply;
        }
        const subscription = await logs.watch(run.runId, stepKey, stream, offset, sendChunk);
        sse.onClose(() => subscription.close());
        // Logs have no end marker: watch the run's status and finish once it has ended.
        const poll = setInterval(() => {
          void ctx.storage.runs.getRun(run.runId).then(
            async (current) => {
              if (!current || !isTerminalRunStatus(current.status) || sse.isClosed) return;
              clearInterval(poll);
              await subscription.close();
              await drainAndEnd();
            },
            (error: unknown) => request.log.warn({ err: error }, "log stream status check failed"),
          );
        }, ctx.logStreamStatusPollMs);
        sse.onClose(() => clearInterval(poll));
      } catch (error) {
        request.log.error({ err: error }, "log stream failed");
        sse.send({ message: "the log stream failed; reconnect to resume" }, { event: "error" });
        await sse.close();
      }
      return reply;
    },
  );
}
