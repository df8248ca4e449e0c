import type { JobSnapshot, LocationEntry } from "@bosun/code-server";
import type { FastifyInstance } from "fastify";
import { locationSchema, nameSchema } from "../api/schemas.ts";
import { onlyVisible, visibleLocations } from "../auth/visible-locations.ts";
import { contextOf } from "../deployments/deployment-scope.ts";
import { requireJob, requireLocation, requireSnapshot } from "../server/lookups.ts";

/** A location as the API shows it: status, error (message, class, stack, causes), what it defines. */
export function locationView(entry: LocationEntry) {
  return {
    name: entry.name,
    status: entry.status,
    address: entry.address,
    serverId: entry.serverId,
    updatedAt: entry.updatedAt,
    error: entry.error,
    counts: {
      jobs: entry.snapshot?.jobs.length ?? 0,
      assets: entry.snapshot?.assets.length ?? 0,
      schedules: entry.snapshot?.schedules.length ?? 0,
      sensors: entry.snapshot?.sensors.length ?? 0,
    },
  };
}

function jobSummary(location: string, job: JobSnapshot) {
  return {
    location,
    name: job.name,
    description: job.description,
    tags: job.tags,
    partitions: job.partitions,
    assetKeys: job.assetKeys,
    stepCount: job.nodes.length,
  };
}

/** The op graph: the snapshot's nodes plus explicit edges (from step, to step, input name). */
function jobDetail(location: string, job: JobSnapshot) {
  const edges: { from: string; to: string; input: string }[] = [];
  const assetInputs: { asset: string; to: string; input: string }[] = [];
  for (const node of job.nodes) {
    for (const [input, source] of Object.entries(node.inputs)) {
      for (const from of source.fromSteps ?? []) edges.push({ from, to: node.name, input });
      if (source.fromAsset) assetInputs.push({ asset: source.fromAsset, to: node.name, input });
    }
  }
  return { ...job, location, edges, assetInputs };
}

const locationParams = {
  type: "object",
  required: ["location"],
  additionalProperties: false,
  properties: { location: nameSchema },
} as const;

export function registerLocationRoutes(app: FastifyInstance): void {
  app.get(
    "/api/locations",
    {
      schema: {
        summary: "Code locations with their status; a location that failed carries its error",
        tags: ["locations"],
        response: {
          200: { type: "object", properties: { locations: { type: "array", items: locationSchema } } },
        },
      },
    },
    async (request) => ({
      locations: onlyVisible(
        contextOf(request).workspace.list(),
        visibleLocations(request.principal!, "view"),
        (entry) => entry.name,
      ).map(locationView),
    }),
  );

  app.post<{ Params: { name: string } }>(
    "/api/locations/:name/reload",
    {
      schema: {
        summary: "Fetch the location's definitions again (restarting its server if it died)",
        tags: ["locations"],
        params: {
          type: "object",
          required: ["name"],
          additionalProperties: false,
          properties: { name: nameSchema },
        },
        response: { 200: { type: "object", properties: { location: locationSchema } } },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      requireLocation(ctx, request.params.name);
      const entry = await ctx.workspace.reload(request.params.name);
      return { location: locationView(entry) };
    },
  );

  app.get<{ Params: { location: string } }>(
    "/api/locations/:location/jobs",
    {
      schema: { summary: "Jobs of a code location", tags: ["jobs"], params: locationParams },
    },
    async (request) => {
      const ctx = contextOf(request);
      const entry = requireLocation(ctx, request.params.location);
      const snapshot = requireSnapshot(entry);
      return { jobs: snapshot.jobs.map((job) => jobSummary(entry.name, job)) };
    },
  );

  app.get<{ Params: { location: string; job: string } }>(
    "/api/locations/:location/jobs/:job",
    {
      schema: {
        summary: "A job with its op graph (nodes, edges, config schema)",
        tags: ["jobs"],
        params: {
          type: "object",
          required: ["location", "job"],
          additionalProperties: false,
          properties: { location: nameSchema, job: nameSchema },
        },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const entry = requireLocation(ctx, request.params.location);
      return { job: jobDetail(entry.name, requireJob(entry, request.params.job)) };
    },
  );
}
