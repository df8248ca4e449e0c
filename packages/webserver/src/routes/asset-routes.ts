import type { AssetSnapshot } from "@bosun/code-server";
import type { AssetMaterializationRecord } from "@bosun/storage";
import type { FastifyInstance } from "fastify";
import { ApiError, invalidInput } from "../api/api-error.ts";
import { keySchema } from "../api/schemas.ts";
import { contextOf } from "../deployments/deployment-scope.ts";
import { stringProblem } from "../input/text-issues.ts";

function assetView(location: string, asset: AssetSnapshot, latest: AssetMaterializationRecord | null) {
  return { ...asset, location, latestMaterialization: latest };
}

export function registerAssetRoutes(app: FastifyInstance): void {
  app.get(
    "/api/assets",
    {
      schema: {
        summary:
          "Assets of every loaded location with lineage (upstream, downstream) and latest materialization",
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
      return {
        assets: defined.map(({ location, asset }) =>
          assetView(location, asset, byKey.get(asset.key) ?? null),
        ),
      };
    },
  );

  app.get<{ Params: { "*": string }; Querystring: { limit: number; partitionKey?: string } }>(
    "/api/assets/*",
    {
      schema: {
        summary:
          "One asset (key with slashes, e.g. /api/assets/sales/revenue) and its materialization history",
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
      return {
        key,
        definitions: definitions.map(({ location, asset }) => ({ ...asset, location })),
        materializations: history,
      };
    },
  );
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
