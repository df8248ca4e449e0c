import { IN_PROGRESS_RUN_STATUSES, type RunRecord } from "@bosun/core";
import { DAEMON_TYPES, type QueueLimits, queueBlockReason } from "@bosun/daemon";
import type { DaemonHeartbeat, DaemonType } from "@bosun/storage";
import type { FastifyInstance } from "fastify";
import { ApiError } from "../api/api-error.ts";
import { buildOpenApiDocument, type RouteCollector } from "../api/openapi.ts";
import { failureSchema, runSchema } from "../api/schemas.ts";
import { contextOf } from "../deployments/deployment-scope.ts";
import { storageOutage } from "../server/storage-outage.ts";
import type { WebserverContext } from "../server/webserver-context.ts";

export const WEBSERVER_VERSION = "0.1.0";

export function registerSystemRoutes(
  app: FastifyInstance,
  ctx: WebserverContext,
  routes: RouteCollector,
): void {
  app.get(
    "/api/health",
    {
      schema: {
        summary: "Liveness: the process answers (for Kubernetes probes); touches nothing else",
        tags: ["system"],
        response: { 200: { type: "object", properties: { status: { type: "string", enum: ["ok"] } } } },
      },
    },
    async () => ({ status: "ok" as const }),
  );

  app.get(
    "/api/ready",
    {
      schema: {
        summary: "Readiness: the database answers",
        tags: ["system"],
        response: { 200: { type: "object", properties: { status: { type: "string", enum: ["ready"] } } } },
      },
    },
    async () => {
      try {
        await ctx.storage.runs.getRun("00000000-0000-0000-0000-000000000000");
      } catch (error) {
        throw (
          storageOutage(error, ctx.storage.describe()) ??
          new ApiError(
            "STORAGE_UNAVAILABLE",
            `storage at ${ctx.storage.describe()} does not answer: ${(error as Error).message}`,
          )
        );
      }
      return { status: "ready" as const };
    },
  );

  app.get(
    "/api/server-info",
    {
      schema: {
        summary: "What this webserver is and can do",
        tags: ["system"],
        response: {
          200: {
            type: "object",
            properties: {
              name: { type: "string" },
              version: { type: "string" },
              readOnly: { type: "boolean" },
              canTerminateStartedRuns: { type: "boolean" },
              storage: { type: "string", description: "host:port/database (never credentials)" },
              locations: { type: "integer" },
              node: { type: "string" },
            },
          },
        },
      },
    },
    async () => ({
      name: "bosun-webserver",
      version: WEBSERVER_VERSION,
      readOnly: ctx.readOnly,
      canTerminateStartedRuns: ctx.terminateRun !== null,
      storage: ctx.storage.describe(),
      locations: ctx.workspace.list().length,
      node: process.version,
    }),
  );

  let openApi: Record<string, unknown> | null = null;
  app.get("/api/openapi.json", { schema: { summary: "This document", tags: ["system"] } }, async () => {
    openApi ??= buildOpenApiDocument(routes.list(), { version: WEBSERVER_VERSION });
    return openApi;
  });

  app.get(
    "/api/daemon/health",
    {
      schema: {
        summary:
          "Heartbeats per daemon type; a type is healthy when a daemon of it beat recently without errors",
        tags: ["system"],
        response: {
          200: {
            type: "object",
            properties: {
              healthy: { type: "boolean" },
              toleranceSeconds: { type: "number" },
              daemons: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    daemonType: { type: "string", enum: DAEMON_TYPES },
                    healthy: { type: "boolean" },
                    lastHeartbeat: { type: ["string", "null"], format: "date-time" },
                    daemonIds: { type: "array", items: { type: "string" } },
                    errors: { type: "array", items: failureSchema },
                  },
                },
              },
            },
          },
        },
      },
    },
    async () => {
      const heartbeats = await ctx.storage.heartbeats.listHeartbeats();
      const now = ctx.now().getTime();
      const daemons = DAEMON_TYPES.map((daemonType) => daemonHealth(daemonType, heartbeats, now, ctx));
      return {
        healthy: daemons.every((d) => d.healthy),
        toleranceSeconds: ctx.daemonHeartbeatToleranceMs / 1000,
        daemons,
      };
    },
  );

  app.get<{ Querystring: { limit: number } }>(
    "/api/queue",
    {
      schema: {
        summary:
          "Queued runs (oldest first, in the order the coordinator considers them) and runs in progress",
        tags: ["runs"],
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { limit: { type: "integer", minimum: 1, maximum: 1000, default: 100 } },
        },
        response: {
          200: {
            type: "object",
            properties: {
              queuedCount: { type: "integer" },
              inProgressCount: { type: "integer" },
              queued: { type: "array", items: runSchema },
              inProgress: { type: "array", items: runSchema },
              limits: {
                type: "object",
                properties: {
                  maxConcurrentRuns: { type: ["integer", "null"] },
                  tagConcurrencyLimits: {
                    type: "array",
                    items: {
                      type: "object",
                      properties: {
                        key: { type: "string" },
                        value: { type: "string" },
                        limit: { type: "integer" },
                        perUniqueValue: { type: "boolean" },
                      },
                    },
                  },
                },
              },
              holds: {
                description: "For each queued run a limit holds back: the limit, in words",
                type: "object",
                additionalProperties: { type: "string" },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const limit = request.query.limit;
      // The queue of the deployment the request names.
      const ctx = contextOf(request);
      const [queuedCount, inProgressCount, queued, inProgress] = await Promise.all([
        ctx.storage.runs.countRuns({ statuses: ["QUEUED"] }),
        ctx.storage.runs.countRuns({ statuses: [...IN_PROGRESS_RUN_STATUSES] }),
        queuedInAdmissionOrder(ctx, limit),
        ctx.storage.runs.listRuns({ statuses: [...IN_PROGRESS_RUN_STATUSES] }, { limit }),
      ]);
      if (!ctx.queueLimits) return { queuedCount, inProgressCount, queued, inProgress: inProgress.runs };
      return {
        queuedCount,
        inProgressCount,
        queued,
        inProgress: inProgress.runs,
        limits: ctx.queueLimits,
        holds: queueHolds(queued, inProgress.runs, ctx.queueLimits),
      };
    },
  );
}

function daemonHealth(
  daemonType: DaemonType,
  heartbeats: readonly DaemonHeartbeat[],
  now: number,
  ctx: WebserverContext,
) {
  const mine = heartbeats.filter((h) => h.daemonType === daemonType);
  const latest = mine.reduce<DaemonHeartbeat | null>(
    (best, h) => (best === null || h.timestamp > best.timestamp ? h : best),
    null,
  );
  const fresh = latest !== null && now - latest.timestamp.getTime() <= ctx.daemonHeartbeatToleranceMs;
  return {
    daemonType,
    healthy: fresh && latest.errors.length === 0,
    lastHeartbeat: latest?.timestamp ?? null,
    daemonIds: mine.map((h) => h.daemonId),
    errors: latest?.errors ?? [],
  };
}

/** Tag holding a run's queue priority (an integer, higher first), as the run coordinator reads it. */
const PRIORITY_TAG = "bosun/priority";

function priorityOf(run: RunRecord): number {
  const value = Number(run.tags[PRIORITY_TAG]);
  return Number.isInteger(value) ? value : 0;
}

/**
 * Queued runs in the coordinator's admission order: priority (higher first), then oldest first. Storage
 * lists newest first; queues are short, so page through them (at most 10,000 runs considered).
 */
async function queuedInAdmissionOrder(ctx: WebserverContext, limit: number): Promise<RunRecord[]> {
  const all: RunRecord[] = [];
  let cursor: string | null = null;
  do {
    const page = await ctx.storage.runs.listRuns({ statuses: ["QUEUED"] }, { limit: 1000, cursor });
    all.push(...page.runs);
    cursor = page.nextCursor;
  } while (cursor && all.length < 10_000);
  return all
    .reverse()
    .map((run, index) => ({ run, index, priority: priorityOf(run) }))
    .sort((a, b) => b.priority - a.priority || a.index - b.index)
    .slice(0, limit)
    .map((entry) => entry.run);
}

/** Why each queued run is waiting, by the run coordinator's own rule (its first limit that is reached). */
function queueHolds(
  queued: readonly RunRecord[],
  inProgress: readonly RunRecord[],
  limits: QueueLimits,
): Record<string, string> {
  const view = (run: RunRecord) => ({
    runId: run.runId,
    tags: run.tags,
    codeLocation: run.codeLocation,
    priority: priorityOf(run),
    createdAt: run.createdAt,
  });
  const snapshot = { inProgress: inProgress.map(view), queued: queued.map(view) };
  const holds: Record<string, string> = {};
  for (const run of snapshot.queued) {
    const reason = queueBlockReason(run, snapshot, limits);
    if (reason) holds[run.runId] = reason;
  }
  return holds;
}
