import { EVENT_TYPES, type EventType, isTerminalRunStatus, type StoredEvent } from "@bosun/core";
import type { Subscription } from "@bosun/storage";
import type { FastifyInstance } from "fastify";
import { eventPageSchema, keySchema, positionSchema } from "../api/schemas.ts";
import { contextOf } from "../deployments/deployment-scope.ts";
import { requireRun } from "../server/lookups.ts";
import { resumePoint, SseStream } from "../sse/sse-stream.ts";
import { runIdParams } from "./run-routes.ts";

/** The run worker writes one of these last: after it, the run's story is complete. */
const TERMINAL_EVENTS: ReadonlySet<EventType> = new Set(["RUN_SUCCESS", "RUN_FAILURE", "RUN_CANCELED"]);
const STORED_PAGE = 1000;

interface EventsQuery {
  afterSeq: number;
  limit: number;
  type?: EventType[];
  step?: string;
}

export function registerEventRoutes(app: FastifyInstance): void {
  app.get<{ Params: { id: string }; Querystring: EventsQuery }>(
    "/api/runs/:id/events",
    {
      schema: {
        summary: "A run's events in order, after a sequence number, optionally of some types or one step",
        tags: ["events"],
        params: runIdParams,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            afterSeq: { ...positionSchema, default: 0 },
            limit: { type: "integer", minimum: 1, maximum: 1000, default: 500 },
            type: { type: "array", items: { type: "string", enum: EVENT_TYPES }, description: "any of" },
            step: keySchema,
          },
        },
        response: { 200: eventPageSchema },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const { afterSeq, limit, type, step } = request.query;
      const run = await requireRun(ctx, request.params.id);
      const events = await ctx.storage.events.getEvents(run.runId, {
        afterSeq,
        limit: limit + 1,
        ...(type ? { types: type } : {}),
        ...(step ? { stepKey: step } : {}),
      });
      const page = events.slice(0, limit);
      return { events: page, lastSeq: page.at(-1)?.seq ?? afterSeq, hasMore: events.length > limit };
    },
  );

  app.get<{ Params: { id: string }; Querystring: { afterSeq?: number } }>(
    "/api/runs/:id/events/stream",
    {
      config: { sse: true },
      schema: {
        summary:
          "Server-Sent Events: every event after Last-Event-ID (or afterSeq), stored then live; id = seq; an `end` event closes it once the run has finished",
        tags: ["events"],
        params: runIdParams,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { afterSeq: positionSchema },
        },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const run = await requireRun(ctx, request.params.id);
      const from = resumePoint(request, request.query.afterSeq);
      const sse = new SseStream(reply, { heartbeatMs: ctx.sseHeartbeatMs });
      const end = () => {
        sse.send({ runId: run.runId }, { event: "end" });
        void sse.close();
      };
      try {
        if (isTerminalRunStatus(run.status)) {
          // Nothing new will come: send what is stored and end.
          let after = from;
          for (;;) {
            if (sse.isClosed) return reply;
            const events = await ctx.storage.events.getEvents(run.runId, {
              afterSeq: after,
              limit: STORED_PAGE,
            });
            for (const event of events) if (!sse.send(event, { id: event.seq })) await sse.drained();
            if (events.length < STORED_PAGE) break;
            after = events.at(-1)!.seq;
          }
          end();
          return reply;
        }
        const subscription: Subscription = await ctx.storage.events.watchEvents(
          run.runId,
          from,
          (events: readonly StoredEvent[]) => {
            for (const event of events) {
              sse.send(event, { id: event.seq });
              if (TERMINAL_EVENTS.has(event.type)) {
                end();
                return;
              }
            }
          },
        );
        sse.onClose(() => subscription.close());
      } catch (error) {
        request.log.error({ err: error }, "run event stream failed");
        sse.send({ message: "the event stream failed; reconnect to resume" }, { event: "error" });
        await sse.close();
      }
      return reply;
    },
  );
}
