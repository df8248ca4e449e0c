import type { AssetSnapshot } from "@bosun/code-server";
import { didYouMean, isPartitionStatus, PARTITION_STATUSES, type PartitionStatus } from "@bosun/core";
import {
  listPartitionStatusViews,
  type PartitionCounts,
  partitionCounts,
  partitionStatusSummary,
} from "@bosun/daemon";
import type { AssetMaterializationRecord, PartitionStatusRecord } from "@bosun/storage";
import type { FastifyInstance } from "fastify";
import { ApiError, invalidInput } from "../api/api-error.ts";
import { keySchema } from "../api/schemas.ts";
import { contextOf } from "../deployments/deployment-scope.ts";
import { stringProblem } from "../input/text-issues.ts";

function assetView(
  location: string,
  asset: AssetSnapshot,
  latest: AssetMaterializationRecord | null,
  lastAttempt: PartitionStatusRecord | null,
  counts: PartitionCounts | null,
) {
  return { ...asset, location, latestMaterialization: latest, lastAttempt, partitionCounts: counts };
}

export function registerAssetRoutes(app: FastifyInstance): void {
  app.get(
    "/api/assets",
    {
      schema: {
        summary:
          "Assets of every loaded location with lineage (upstream, downstream), latest materialization, last attempt (failed ones too) and partition counts per status",
        tags: ["assets"],
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const defined = ctx.workspace
        .list()
        .flatMap((entry) => (entry.snapshot?.assets ?? []).map((asset) => ({ location: entry.name, asset })));
      const keys = [...new Set(defined.map((d) => d.asset.key))];
      const latest = keys.length > 0 ? await ctx.storage.events.latestMaterializations(keys) : [];
      const byKey = new Map(latest.map((m) => [m.assetKey, m]));
      const attempts = new Map(
        (await ctx.storage.assetStatus.latestAttempts(keys)).map((a) => [a.assetKey, a]),
      );
      const now = new Date();
      const assets = [];
      for (const { location, asset } of defined) {
        const counts = asset.partitions
          ? await partitionCounts(ctx.storage, asset.key, asset.partitions, now)
          : null;
        assets.push(
          assetView(location, asset, byKey.get(asset.key) ?? null, attempts.get(asset.key) ?? null, counts),
        );
      }
      return { assets };
    },
  );

  app.get<{ Params: { "*": string }; Querystring: { limit: number; partitionKey?: string } }>(
    "/api/assets/*",
    {
      schema: {
        summary:
          "One asset (key with slashes, e.g. /api/assets/sales/revenue): its materialization history, last attempt and, when partitioned, partition counts and status bar",
        tags: ["assets"],
        params: {
          type: "object",
          required: ["*"],
          properties: { "*": { ...keySchema, description: "asset key" } },
        },
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            limit: { type: "integer", minimum: 1, maximum: 1000, default: 100 },
            partitionKey: keySchema,
          },
        },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const key = decodeKey(request.params["*"]);
      const definitions = ctx.workspace
        .list()
        .flatMap((entry) =>
          (entry.snapshot?.assets ?? [])
            .filter((a) => a.key === key)
            .map((asset) => ({ location: entry.name, asset })),
        );
      const history = await ctx.storage.events.materializationHistory(key, {
        limit: request.query.limit,
        ...(request.query.partitionKey ? { partitionKey: request.query.partitionKey } : {}),
      });
      if (definitions.length === 0 && history.length === 0)
        throw new ApiError("ASSET_NOT_FOUND", `no asset "${key}" is defined or was ever materialized`, {
          assetKey: key,
        });
      const [lastAttempt] = await ctx.storage.assetStatus.latestAttempts([key]);
      const partitions = definitions.find((d) => d.asset.partitions)?.asset.partitions;
      return {
        key,
        definitions: definitions.map(({ location, asset }) => ({ ...asset, location })),
        materializations: history,
        lastAttempt: lastAttempt ?? null,
        partitionStatus: partitions ? await partitionStatusSummary(ctx.storage, key, partitions) : null,
      };
    },
  );

  app.get<{ Querystring: { asset: string; status?: string; limit: number; after?: string } }>(
    "/api/asset-partitions",
    {
      schema: {
        summary:
          "Partitions of a partitioned asset with their status (MATERIALIZED, FAILED, IN_PROGRESS, MISSING), newest first, filtered by status, a page at a time",
        tags: ["assets"],
        querystring: {
          type: "object",
          additionalProperties: false,
          required: ["asset"],
          properties: {
            asset: { ...keySchema, description: "asset key" },
            status: {
              type: "string",
              maxLength: 200,
              description: `comma-separated statuses among ${PARTITION_STATUSES.join(", ")}`,
            },
            limit: { type: "integer", minimum: 1, maximum: 5000, default: 100 },
            after: { ...keySchema, description: "the last key of the previous page (its nextCursor)" },
          },
        },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const key = request.query.asset;
      const definition = ctx.workspace
        .list()
        .flatMap((entry) => entry.snapshot?.assets ?? [])
        .find((a) => a.key === key);
      if (!definition)
        throw new ApiError("ASSET_NOT_FOUND", `no asset "${key}" is defined in a loaded code location`, {
          assetKey: key,
        });
      if (!definition.partitions)
        throw invalidInput([{ field: "asset", message: `asset "${key}" is not partitioned` }]);
      const statuses = parseStatuses(request.query.status);
      return listPartitionStatusViews(ctx.storage, key, definition.partitions, {
        ...(statuses ? { statuses } : {}),
        limit: request.query.limit,
        after: request.query.after ?? null,
      });
    },
  );
}

/** `FAILED,MISSING` into statuses; an unknown one is a 400 naming the nearest. */
function parseStatuses(raw: string | undefined): PartitionStatus[] | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  const statuses: PartitionStatus[] = [];
  for (const part of raw.split(",")) {
    const status = part.trim().toUpperCase();
    if (!isPartitionStatus(status))
      throw invalidInput([
        {
          field: "status",
          message: `unknown partition status "${part.trim()}": expected a comma-separated list of ${PARTITION_STATUSES.join(", ")}${didYouMean(status, PARTITION_STATUSES)}`,
        },
      ]);
    statuses.push(status);
  }
  return statuses;
}

/** Keys arrive as path segments (`a/b`) or as one encoded segment (`a%2Fb`); trailing slashes are noise. */
function decodeKey(raw: string): string {
  let key = raw;
  try {
    key = decodeURIComponent(raw);
  } catch {
    // Fastify already decoded it; keep it as it is.
  }
  // `%2500` arrives as `%00` and decodes to NUL here, after the request-wide check: check again.
  const problem = stringProblem(key);
  if (problem) throw invalidInput([{ field: 'params["*"]', message: problem }]);
  return key.replace(/\/+$/, "");
}
