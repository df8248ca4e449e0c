import type { InstigatorKind } from "@bosun/storage";
import type { FastifyInstance } from "fastify";
import { nameSchema, positionSchema } from "../api/schemas.ts";
import { onlyVisible, visibleLocations } from "../auth/visible-locations.ts";
import { contextOf } from "../deployments/deployment-scope.ts";
import {
  listSchedules,
  listSensors,
  requireInstigator,
  requireInstigatorStorage,
  setInstigatorStatus,
} from "../instigators/instigator-views.ts";

const instigatorParams = {
  type: "object",
  required: ["location", "name"],
  additionalProperties: false,
  properties: { location: nameSchema, name: nameSchema },
} as const;

type InstigatorParams = { location: string; name: string };

const KINDS: readonly { kind: InstigatorKind; plural: "schedules" | "sensors" }[] = [
  { kind: "schedule", plural: "schedules" },
  { kind: "sensor", plural: "sensors" },
];

export function registerInstigatorRoutes(app: FastifyInstance): void {
  app.get(
    "/api/schedules",
    {
      schema: {
        summary: "Schedules of every loaded location: definition, status, next tick and latest tick",
        tags: ["schedules"],
      },
    },
    async (request) => ({
      schedules: onlyVisible(
        await listSchedules(contextOf(request)),
        visibleLocations(request.principal!, "view"),
        (schedule) => schedule.location,
      ),
    }),
  );

  app.get(
    "/api/sensors",
    {
      schema: {
        summary: "Sensors of every loaded location: definition, status, cursor and latest tick",
        tags: ["sensors"],
      },
    },
    async (request) => ({
      sensors: onlyVisible(
        await listSensors(contextOf(request)),
        visibleLocations(request.principal!, "view"),
        (sensor) => sensor.location,
      ),
    }),
  );

  for (const { kind, plural } of KINDS) {
    for (const action of ["start", "stop"] as const) {
      app.post<{ Params: InstigatorParams }>(
        `/api/${plural}/:location/:name/${action}`,
        {
          schema: {
            summary: `${action === "start" ? "Start" : "Stop"} a ${kind} (stored; the daemon follows)`,
            tags: [plural],
            params: instigatorParams,
          },
        },
        async (request) => {
          const ctx = contextOf(request);
          const { location, name } = request.params;
          const view = await setInstigatorStatus(
            ctx,
            kind,
            location,
            name,
            action === "start" ? "RUNNING" : "STOPPED",
          );
          return { [kind]: view };
        },
      );
    }

    app.get<{ Params: InstigatorParams; Querystring: { limit: number; before?: number } }>(
      `/api/${plural}/:location/:name/ticks`,
      {
        schema: {
          summary: `Tick history of a ${kind}, newest first, with each failed tick's error`,
          tags: [plural],
          params: instigatorParams,
          querystring: {
            type: "object",
            additionalProperties: false,
            properties: {
              limit: { type: "integer", minimum: 1, maximum: 1000, default: 50 },
              before: {
                ...positionSchema,
                description: "only ticks with timestamp before this (ms)",
              },
            },
          },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const { location, name } = request.params;
        const storage = requireInstigatorStorage(ctx);
        requireInstigator(ctx, kind, location, name);
        const ticks = await storage.listTicks(kind, location, name, {
          limit: request.query.limit,
          ...(request.query.before !== undefined ? { before: request.query.before } : {}),
        });
        return { ticks };
      },
    );
  }
}
