import { DEFAULT_DEPLOYMENT } from "@bosun/core";
import type { BosunStorage } from "./storage.ts";

/**
 * Deployments: named, isolated namespaces of one instance. Each has its own runs, event log, schedules,
 * sensors and ticks; API tokens, sessions and the audit log are instance-wide. `prod` is the full
 * deployment every instance has; branch deployments are created from CI for one branch each, updated on
 * every push, closed when the branch merges (read-only from then on) and purged by retention later.
 *
 * Lifecycle of a deployment record:
 * - `open`: serves reads and writes; the daemon's loops serve it.
 * - `closed`: its history stays readable; every mutation is refused and the daemon leaves it alone.
 *   Creating the same branch again reopens it. Retention deletes it (registry row and data) once it has
 *   been closed longer than the configured time.
 */

/** The full deployment every instance has: its data are the tables installations had before deployments. */
export const PROD_DEPLOYMENT = DEFAULT_DEPLOYMENT;

/** What a deployment is: the full one, or a branch deployment made from CI. */
export const DEPLOYMENT_KINDS = ["full", "branch"] as const;
/** `full` (prod) or `branch`. */
export type DeploymentKind = (typeof DEPLOYMENT_KINDS)[number];

/** `open` deployments serve writes; `closed` ones keep their history read-only until purged. */
export const DEPLOYMENT_STATUSES = ["open", "closed"] as const;
/** `open` or `closed`. */
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/** Deployment names: the one rule of `@bosun/core`. */
export { DEPLOYMENT_NAME_PATTERN } from "@bosun/core";

/** One deployment as the registry keeps it. */
export interface DeploymentRecord {
  readonly name: string;
  readonly kind: DeploymentKind;
  /** The deployment a branch deployment is compared with (its changed assets); null for `prod`. */
  readonly base: string | null;
  /** The git branch of a branch deployment; null for full ones. */
  readonly branch: string | null;
  /** The commit last pushed to the branch, when CI said. */
  readonly commit: string | null;
  /** The pull request's URL, when CI said. */
  readonly pullRequestUrl: string | null;
  readonly status: DeploymentStatus;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** When it was closed; null while open. */
  readonly closedAt: Date | null;
}

/** What CI says about a branch on each push. */
export interface BranchDeploymentInput {
  readonly branch: string;
  readonly base: string;
  readonly commit?: string | null;
  readonly pullRequestUrl?: string | null;
}

/** The instance's registry of deployments (instance-wide, like API tokens). */
export interface DeploymentStorage {
  /** Every deployment, `prod` first, then by name. */
  listDeployments(): Promise<readonly DeploymentRecord[]>;
  getDeployment(name: string): Promise<DeploymentRecord | null>;
  /**
   * Creates the branch's deployment, or updates it (base, commit, pull request; a closed one is
   * reopened) when the branch has one already: idempotent by branch. `name` is the name to use when it
   * is created.
   */
  upsertBranchDeployment(
    name: string,
    input: BranchDeploymentInput,
    at: Date,
  ): Promise<{ readonly deployment: DeploymentRecord; readonly created: boolean }>;
  /** Closes an open deployment; returns null when there is none by that name. Closing twice is a no-op. */
  closeDeployment(name: string, at: Date): Promise<DeploymentRecord | null>;
  /** Closed deployments closed before `closedBefore`, for retention. */
  listClosedBefore(closedBefore: Date): Promise<readonly DeploymentRecord[]>;
  /** Deletes the deployment's registry row and every datum it holds. `prod` cannot be deleted. */
  deleteDeployment(name: string): Promise<boolean>;
}

/** A deployment's data, and the environment that points processes it starts (run workers) at them. */
export interface DeploymentDataStorage extends BosunStorage {
  /** `BOSUN_DATABASE_URL` for run and step workers of this deployment's runs. */
  childProcessEnv(): Record<string, string>;
}

/** Resolves a deployment name to its storage: the one place a name becomes data. */
export interface DeploymentStorages {
  /** The instance's registry. */
  readonly deployments: DeploymentStorage;
  /**
   * The named deployment's storage (`prod`: the instance's own). Throws `DeploymentNotFoundError` for a
   * name the registry does not hold.
   */
  forDeployment(name: string): Promise<DeploymentDataStorage>;
  /** Closes a deployment's connections, before it is deleted. */
  releaseDeployment(name: string): Promise<void>;
}

/** No deployment has this name. */
export class DeploymentNotFoundError extends Error {
  constructor(
    readonly deployment: string,
    suggestion = "",
  ) {
    super(`no deployment "${deployment}"${suggestion}`);
    this.name = "DeploymentNotFoundError";
  }
}
