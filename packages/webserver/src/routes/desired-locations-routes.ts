import { type DeployedLocation, LocationsFileError, parseLocations } from "@bosun/code-server";
import type { DesiredLocationsVersion } from "@bosun/storage";
import type { FastifyInstance } from "fastify";
import { deploymentFromRequest } from "../agent/deployment-param.ts";
import { ApiError } from "../api/api-error.ts";
import type { DeploymentScopes } from "../deployments/deployment-scope.ts";
import type { WebserverContext } from "../server/webserver-context.ts";

/**
 * A deployment's desired code locations (what `bosun deploy` sets from `bosun-locations.yaml`), their
 * history, and the agents serving the control plane. Setting the locations stores a new version and, in
 * the same transaction, a `reconcile_locations` request for each agent queue concerned (`AgentRequests`).
 */

const deploymentParams = {
  type: "object",
  required: ["deployment"],
  additionalProperties: false,
  properties: { deployment: { type: "string", minLength: 1, maxLength: 63 } },
} as const;

const versionSchema = {
  type: "object",
  properties: {
    deployment: { type: "string" },
    version: { type: "integer" },
    locations: {},
    createdBy: { type: ["string", "null"] },
    createdAt: { type: "string", format: "date-time" },
  },
} as const;

function versionView(version: DesiredLocationsVersion) {
  return { ...version, createdAt: version.createdAt.toISOString() };
}

export function registerDesiredLocationRoutes(
  app: FastifyInstance,
  ctx: WebserverContext,
  scopes: DeploymentScopes,
): void {
  app.put<{ Params: { deployment: string }; Body: Record<string, unknown> }>(
    "/api/deployments/:deployment/locations",
    {
      schema: {
        summary:
          "Set a deployment's desired code locations (the content of bosun-locations.yaml, as JSON); stores a new version and asks its agents to reconcile",
        tags: ["deployments"],
        params: deploymentParams,
        body: {
          type: "object",
          description: "{ locations: [...] }, validated strictly (see docs/hybrid.md)",
        },
        response: {
          200: { type: "object", properties: { version: versionSchema, unchanged: { type: "boolean" } } },
        },
      },
    },
    async (request) => {
      const deployment = deploymentFromRequest(request.params.deployment, "params.deployment");
      // Only a deployment the registry knows, and an open one, takes new locations.
      await scopes.resolveForWrite(deployment, `PUT ${request.url}`);
      let locations: readonly DeployedLocation[];
      try {
        locations = await parseLocations(request.body, ctx.containerContextChecks);
      } catch (error) {
        if (error instanceof LocationsFileError)
          throw new ApiError("INVALID_LOCATIONS", error.message, {
            issues: error.issues.map((issue) => ({
              field: issue.path,
              message: issue.message,
              ...(issue.suggestion !== undefined ? { suggestion: issue.suggestion } : {}),
            })),
          });
        throw error;
      }
      const stored = await ctx.agentRequests.setDesiredLocations({
        deployment,
        locations,
        createdBy: request.principal?.name ?? null,
      });
      return { version: versionView(stored) };
    },
  );

  app.get<{ Params: { deployment: string } }>(
    "/api/deployments/:deployment/locations",
    {
      schema: {
        summary: "A deployment's desired code locations: the latest version",
        tags: ["deployments"],
        params: deploymentParams,
        response: {
          200: { type: "object", properties: { version: { ...versionSchema, type: ["object", "null"] } } },
        },
      },
    },
    async (request) => {
      const deployment = deploymentFromRequest(request.params.deployment, "params.deployment");
      const latest = await ctx.storage.desiredLocations.getDesiredLocations(deployment);
      return { version: latest ? versionView(latest) : null };
    },
  );

  app.get<{ Params: { deployment: string }; Querystring: { limit: number } }>(
    "/api/deployments/:deployment/locations/history",
    {
      schema: {
        summary: "Every version of a deployment's desired code locations, newest first",
        tags: ["deployments"],
        params: deploymentParams,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { limit: { type: "integer", minimum: 1, maximum: 500, default: 50 } },
        },
        response: {
          200: { type: "object", properties: { versions: { type: "array", items: versionSchema } } },
        },
      },
    },
    async (request) => {
      const deployment = deploymentFromRequest(request.params.deployment, "params.deployment");
      const versions = await ctx.storage.desiredLocations.listDesiredLocations(
        deployment,
        request.query.limit,
      );
      return { versions: versions.map(versionView) };
    },
  );

  app.get(
    "/api/agents",
    {
      schema: {
        summary:
          "Agents that registered with this control plane, with their last heartbeat and what they reported",
        tags: ["deployments"],
        response: {
          200: {
            type: "object",
            properties: { agents: { type: "array", items: { type: "object", additionalProperties: true } } },
          },
        },
      },
    },
    async () => ({
      agents: (await ctx.storage.agents.listAgents()).map((agent) => ({
        ...agent,
        registeredAt: agent.registeredAt.toISOString(),
        lastHeartbeatAt: agent.lastHeartbeatAt.toISOString(),
      })),
    }),
  );
}
