import type { DefinitionsSnapshot, Workspace } from "@bosun/code-server";
import { didYouMean } from "@bosun/core";
import { DEPLOYMENT_NAME_PATTERN, type DeploymentRecord, PROD_DEPLOYMENT } from "@bosun/storage";
import type { FastifyInstance } from "fastify";
import { ApiError, invalidInput } from "../api/api-error.ts";
import { diffDefinitions } from "../deployments/definition-changes.ts";
import { deploymentNameForBranch } from "../deployments/deployment-name.ts";
import type { DeploymentScopes } from "../deployments/deployment-scope.ts";
import type { WebserverContext } from "../server/webserver-context.ts";

/** A deployment as the API shows it. */
export const deploymentSchema = {
  type: "object",
  properties: {
    name: { type: "string" },
    kind: { type: "string", enum: ["full", "branch"] },
    base: { type: ["string", "null"] },
    branch: { type: ["string", "null"] },
    commit: { type: ["string", "null"] },
    pullRequestUrl: { type: ["string", "null"] },
    status: { type: "string", enum: ["open", "closed"] },
    createdAt: { type: "string" },
    updatedAt: { type: "string" },
    closedAt: { type: ["string", "null"] },
  },
} as const;

const nameParams = {
  type: "object",
  required: ["name"],
  additionalProperties: false,
  properties: { name: { type: "string", minLength: 1, maxLength: 64 } },
} as const;

interface CreateDeploymentBody {
  branch: string;
  base?: string;
  commit?: string | null;
  pullRequest?: string | null;
  name?: string;
}

/**
 * The deployments registry: list, create or update a branch deployment (CI, on each push), close one,
 * and what a branch deployment changes against its base. Instance-wide routes: the deployment a
 * request names does not matter to them.
 */
export function registerDeploymentRoutes(
  app: FastifyInstance,
  ctx: WebserverContext,
  scopes: DeploymentScopes,
): void {
  const registry = () => {
    if (scopes.registry) return scopes.registry.deployments;
    throw new ApiError(
      "NOT_AVAILABLE",
      "this webserver serves the prod deployment only (no deployments registry)",
    );
  };
  const requireDeployment = async (name: string): Promise<DeploymentRecord> => {
    const found = await registry().getDeployment(name);
    if (found) return found;
    const known = (await registry().listDeployments()).map((d) => d.name);
    throw new ApiError("DEPLOYMENT_NOT_FOUND", `no deployment "${name}"${didYouMean(name, known)}`, {
      deployment: name,
      known,
    });
  };

  app.get(
    "/api/deployments",
    {
      schema: {
        summary: "Deployments: prod first, then branch deployments by name, open and closed",
        tags: ["deployments"],
        response: {
          200: { type: "object", properties: { deployments: { type: "array", items: deploymentSchema } } },
        },
      },
    },
    async () => ({ deployments: (await registry().listDeployments()).map(deploymentView) }),
  );

  app.get<{ Params: { name: string } }>(
    "/api/deployments/:name",
    {
      schema: {
        summary: "One deployment",
        tags: ["deployments"],
        params: nameParams,
        response: { 200: { type: "object", properties: { deployment: deploymentSchema } } },
      },
    },
    async (request) => ({ deployment: deploymentView(await requireDeployment(request.params.name)) }),
  );

  app.post<{ Body: CreateDeploymentBody }>(
    "/api/deployments",
    {
      schema: {
        summary:
          "Create the branch's deployment, or update it on a later push (idempotent by branch; a closed one reopens)",
        tags: ["deployments"],
        body: {
          type: "object",
          required: ["branch"],
          additionalProperties: false,
          properties: {
            branch: { type: "string", minLength: 1, maxLength: 255, pattern: "^[^\\s]+$" },
            base: { type: "string", minLength: 1, maxLength: 64, default: PROD_DEPLOYMENT },
            commit: { type: ["string", "null"], pattern: "^[0-9A-Za-z._-]{1,100}$" },
            pullRequest: {
              type: ["string", "null"],
              maxLength: 2000,
              description: "the pull request's http(s) URL",
            },
            name: {
              type: "string",
              pattern: DEPLOYMENT_NAME_PATTERN.source,
              description: "the deployment's name when it is created; default: derived from the branch",
            },
          },
        },
        response: {
          200: { type: "object", properties: { deployment: deploymentSchema, created: { type: "boolean" } } },
          201: { type: "object", properties: { deployment: deploymentSchema, created: { type: "boolean" } } },
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const base = body.base ?? PROD_DEPLOYMENT;
      if (body.pullRequest != null && !/^https?:\/\/\S+$/.test(body.pullRequest))
        throw invalidInput([
          {
            field: "body.pullRequest",
            message: `must be an http(s) URL, got ${JSON.stringify(body.pullRequest)}`,
          },
        ]);
      const deployments = await registry().listDeployments();
      const baseRecord = deployments.find((d) => d.name === base);
      if (!baseRecord)
        throw invalidInput([
          {
            field: "body.base",
            message: `no deployment "${base}"${didYouMean(
              base,
              deployments.map((d) => d.name),
            )}`,
          },
        ]);
      if (baseRecord.branch === body.branch)
        throw invalidInput([
          {
            field: "body.base",
            message: `is the branch's own deployment; name another (e.g. ${PROD_DEPLOYMENT})`,
          },
        ]);
      const existing = deployments.find((d) => d.branch === body.branch);
      const name = existing?.name ?? body.name ?? deploymentNameForBranch(body.branch);
      const holder = deployments.find((d) => d.name === name);
      if (!existing && holder)
        throw invalidInput([
          {
            field: body.name !== undefined ? "body.name" : "body.branch",
            message: `deployment name "${name}" is taken (by ${holder.branch ? `branch ${holder.branch}` : "the full deployment"}); pass another with "name"`,
          },
        ]);
      const result = await registry().upsertBranchDeployment(
        name,
        { branch: body.branch, base, commit: body.commit ?? null, pullRequestUrl: body.pullRequest ?? null },
        ctx.now(),
      );
      // The schema is created and migrated now, so the first run or deploy into it does not wait.
      await scopes.resolve(result.deployment.name);
      return reply.code(result.created ? 201 : 200).send({
        deployment: deploymentView(result.deployment),
        created: result.created,
      });
    },
  );

  app.post<{ Params: { name: string } }>(
    "/api/deployments/:name/close",
    {
      schema: {
        summary: "Close a branch deployment: its history stays, read-only, until retention purges it",
        tags: ["deployments"],
        params: nameParams,
        response: { 200: { type: "object", properties: { deployment: deploymentSchema } } },
      },
    },
    async (request) => {
      const record = await requireDeployment(request.params.name);
      if (record.kind === "full")
        throw invalidInput([
          {
            field: "params.name",
            message: `"${record.name}" is a full deployment; only branch deployments close`,
          },
        ]);
      const closed = await registry().closeDeployment(record.name, ctx.now());
      return { deployment: deploymentView(closed ?? record) };
    },
  );

  app.get<{ Params: { name: string } }>(
    "/api/deployments/:name/changes",
    {
      schema: {
        summary: "The assets and jobs a branch deployment adds, removes or changes against its base",
        tags: ["deployments"],
        params: nameParams,
      },
    },
    async (request) => {
      const record = await requireDeployment(request.params.name);
      const baseName = record.base ?? record.name;
      const [branch, base] = await Promise.all([scopes.resolve(record.name), scopes.resolve(baseName)]);
      const branchSnapshots = snapshotsOf(branch.workspace);
      const baseSnapshots = snapshotsOf(base.workspace);
      return {
        deployment: record.name,
        base: baseName,
        ...diffDefinitions(baseSnapshots.snapshots, branchSnapshots.snapshots),
        // Locations without definitions yet (loading, failed): their assets are left out of the diff.
        unavailable: {
          base: baseSnapshots.unavailable,
          deployment: branchSnapshots.unavailable,
        },
      };
    },
  );
}

function snapshotsOf(workspace: Workspace): {
  snapshots: Map<string, DefinitionsSnapshot>;
  unavailable: string[];
} {
  const snapshots = new Map<string, DefinitionsSnapshot>();
  const unavailable: string[] = [];
  for (const entry of workspace.list()) {
    if (entry.snapshot) snapshots.set(entry.name, entry.snapshot);
    else unavailable.push(entry.name);
  }
  return { snapshots, unavailable };
}

/** A deployment as JSON: dates as ISO text. */
export function deploymentView(record: DeploymentRecord) {
  return {
    ...record,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    closedAt: record.closedAt?.toISOString() ?? null,
  };
}
