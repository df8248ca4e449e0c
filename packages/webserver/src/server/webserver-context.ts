import type { ContainerContextChecks, Workspace } from "@bosun/code-server";
import type { QueueLimits } from "@bosun/daemon";
import type { AuthSettings } from "@bosun/instance";
import type { AgentRequests, RunRequests } from "@bosun/runs";
import type { BosunStorage } from "@bosun/storage";
import type { AgentApiSettings } from "../agent/agent-api-settings.ts";
import type { CookiePolicy } from "../auth/cookies.ts";
import type { OidcSignIn } from "../auth/oidc-sign-in.ts";
import type { RunTagChecks } from "../runs/check-run-tags.ts";

/** Stops a run: the daemon's `terminateRun(storage, launcher, runId)` bound to this deployment's launcher. */
export type TerminateRun = (runId: string) => Promise<unknown>;

/** What every route reads. Nothing here is per-request state: replicas sharing a database agree. */
export interface WebserverContext {
  readonly storage: BosunStorage;
  readonly workspace: Workspace;
  /** Where launches and re-executions create their runs (validated by the workspace's code locations). */
  readonly runRequests: RunRequests;
  readonly readOnly: boolean;
  /** `auth` of bosun.yaml: off (every caller an anonymous admin) unless enabled. */
  readonly auth: AuthSettings;
  /** Sign-in through OpenID Connect; null when `auth.oidc` is not configured (or auth is off). */
  readonly signIn: OidcSignIn | null;
  /** How cookies are sent (Secure under an https public URL). */
  readonly cookiePolicy: CookiePolicy;
  /** The URL people reach this webserver at, when configured; sign-in's redirect URI is built on it. */
  readonly publicUrl: string | null;
  readonly terminateRun: TerminateRun | null;
  /** Interval of SSE heartbeat comments. */
  readonly sseHeartbeatMs: number;
  /** How often a live log stream checks whether its run has ended. */
  readonly logStreamStatusPollMs: number;
  /** A daemon whose last heartbeat is older than this is unhealthy. */
  readonly daemonHeartbeatToleranceMs: number;
  /** The run coordinator's limits, when known; null when this webserver was not told them. */
  readonly queueLimits: QueueLimits | null;
  /** Checks of a launch request's tags by tag key; empty when this webserver was given none. */
  readonly runTagChecks: RunTagChecks;
  /** Checks of a locations file's `container_context` sections by key (`k8s`), from the plugins. */
  readonly containerContextChecks: ContainerContextChecks;
  /** Work for agents (hybrid mode): desired locations, launches, terminations, code-server calls. */
  readonly agentRequests: AgentRequests;
  /** The agent API's long poll, leases and run tokens. */
  readonly agentApi: AgentApiSettings;
  readonly now: () => Date;
}
