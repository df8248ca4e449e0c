import { emptyWorkspace, type Workspace } from "@bosun/code-server";
import { didYouMean as didYouMeanOf } from "@bosun/core";
import { RunRequests, workspaceLocations } from "@bosun/runs";
import {
  type BosunStorage,
  DeploymentNotFoundError,
  type DeploymentRecord,
  type DeploymentStorages,
  PROD_DEPLOYMENT,
} from "@bosun/storage";
import type { FastifyRequest } from "fastify";
import { ApiError } from "../api/api-error.ts";
import type { TerminateRun, WebserverContext } from "../server/webserver-context.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** The deployment the request works in (`prod` unless it names another); null before it is resolved. */
    deployment: DeploymentScope | null;
  }
}

/** Everything a route reads or writes that belongs to one deployment. */
export interface DeploymentScope {
  readonly name: string;
  readonly record: DeploymentRecord;
  readonly storage: BosunStorage;
  readonly workspace: Workspace;
  /** Where launches and re-executions create their runs, validated by this deployment's locations. */
  readonly runRequests: RunRequests;
  /** Stops a started run through this deployment's launcher; null: only QUEUED runs can be canceled. */
  readonly terminateRun: TerminateRun | null;
  /** The webserver's context with this deployment's storage, workspace, run requests and launcher. */
  readonly context: WebserverContext;
}

/** What the webserver is given to serve deployments other than `prod`. */
export interface DeploymentSources {
  /** Resolves a name to its storage; without it the webserver serves `prod` alone. */
  readonly storages: DeploymentStorages | null;
  /** A branch deployment's code locations; default none (its locations run elsewhere). */
  readonly workspaceOf?: (deployment: string) => Workspace | undefined;
  /** Terminating a started run in a branch deployment; default none. */
  readonly terminateRunIn?: (deployment: string, storage: BosunStorage) => TerminateRun | null;
}

/**
 * The webserver's deployments: `prod` from its own storage and workspace, the others resolved by name
 * on first use and kept. A branch deployment's record is read again on every request, so one closed
 * through another replica is read-only here at once.
 */
export class DeploymentScopes {
  private readonly branches = new Map<string, Omit<DeploymentScope, "record">>();

  /** `prod` is the context's own storage, workspace and launcher. */
  constructor(
    private readonly prod: WebserverContext,
    private readonly sources: DeploymentSources,
  ) {}

  /** Whether names other than `prod` can resolve (the webserver was given a registry). */
  get registry(): DeploymentStorages | null {
    return this.sources.storages;
  }

  /** The named deployment's scope; 404 DEPLOYMENT_NOT_FOUND (with the nearest name) when there is none. */
  async resolve(name: string): Promise<DeploymentScope> {
    if (name === PROD_DEPLOYMENT) {
      // prod is never closed: no registry query on the path of every request that names no deployment.
      const { storage, workspace, runRequests, terminateRun } = this.prod;
      return { name, storage, workspace, runRequests, terminateRun, context: this.prod, record: PROD_RECORD };
    }
    const record = (await this.sources.storages?.deployments.getDeployment(name)) ?? null;
    if (record === null || !this.sources.storages) throw await this.notFound(name);
    let scope = this.branches.get(name);
    if (!scope) {
      const storage = await this.sources.storages.forDeployment(name).catch(async (error: unknown) => {
        throw error instanceof DeploymentNotFoundError ? await this.notFound(name) : error;
      });
      const workspace = this.sources.workspaceOf?.(name) ?? emptyWorkspace();
      const runRequests = new RunRequests({ storage, locations: workspaceLocations(workspace) });
      const terminateRun = this.sources.terminateRunIn?.(name, storage) ?? null;
      const context = { ...this.prod, storage, workspace, runRequests, terminateRun };
      scope = { name, storage, workspace, runRequests, terminateRun, context };
      this.branches.set(name, scope);
    }
    return { ...scope, record };
  }

  /**
   * The named deployment's scope for a write (`what`, e.g. "PUT /api/..."): as `resolve`, and 409
   * DEPLOYMENT_CLOSED for a closed deployment, which keeps its history read-only.
   */
  async resolveForWrite(name: string, what: string): Promise<DeploymentScope> {
    const scope = await this.resolve(name);
    if (scope.record.status === "closed")
      throw new ApiError(
        "DEPLOYMENT_CLOSED",
        `deployment "${scope.name}" is closed: its history is read-only, so ${what} is refused (push to its branch again to reopen it)`,
        { deployment: scope.name },
      );
    return scope;
  }

  /** Forgets a deployment's scope (it was deleted). */
  forget(name: string): void {
    this.branches.delete(name);
  }

  private async notFound(name: string): Promise<ApiError> {
    const known = (await this.sources.storages?.deployments.listDeployments())?.map((d) => d.name) ?? [
      PROD_DEPLOYMENT,
    ];
    const message = new DeploymentNotFoundError(name, didYouMeanOf(name, known)).message;
    return new ApiError("DEPLOYMENT_NOT_FOUND", message, { deployment: name, known });
  }
}

/** The scope a route's handler works in (set by the webserver's deployment hook before any handler). */
export function deploymentOf(request: FastifyRequest): DeploymentScope {
  if (request.deployment === null) throw new Error("the deployment hook did not run for this request");
  return request.deployment;
}

/** The context of the deployment a request works in: what a deployment-scoped route reads and writes. */
export function contextOf(request: FastifyRequest): WebserverContext {
  return deploymentOf(request).context;
}

/** `prod` as a request's scope describes it: only its name, kind and status are read there. */
const PROD_RECORD: DeploymentRecord = {
  name: PROD_DEPLOYMENT,
  kind: "full",
  base: null,
  branch: null,
  commit: null,
  pullRequestUrl: null,
  status: "open",
  createdAt: new Date(0),
  updatedAt: new Date(0),
  closedAt: null,
};
