import type { JsonValue } from "../runs/run.ts";

/**
 * The agent protocol's vocabulary, shared by the control plane (which enqueues requests and serves
 * `/api/agent/v1`) and agents (which carry them out inside the user's cluster).
 *
 * A request's life: `pending` (enqueued) → `leased` (handed to one agent by a long poll) →
 * `acknowledged` (the agent started on it) → `completed`, `failed` or `unsupported` (the agent does
 * not know the type; recorded once and never handed out again). A lease that is not renewed by the
 * holder's heartbeats expires, and the request goes back to any agent serving its deployment and queue.
 */

/** Every request type this control plane sends. An agent answers `unsupported` for one it does not know. */
export const AGENT_REQUEST_TYPES = [
  "reconcile_locations",
  "code_server_call",
  "launch_run",
  "terminate_run",
] as const;

/** A request type (an agent may receive a newer one it does not know: it is a plain string on the wire). */
export type AgentRequestType = (typeof AGENT_REQUEST_TYPES)[number];

/** The states of an agent request (see the module's header). */
export const AGENT_REQUEST_STATUSES = [
  "pending",
  "leased",
  "acknowledged",
  "completed",
  "failed",
  "unsupported",
] as const;

/** One state of an agent request. */
export type AgentRequestStatus = (typeof AGENT_REQUEST_STATUSES)[number];

/** The ends of a request: an agent completes it with one of these. */
export const AGENT_REQUEST_OUTCOMES = ["completed", "failed", "unsupported"] as const;

/** How an agent ends a request. */
export type AgentRequestOutcome = (typeof AGENT_REQUEST_OUTCOMES)[number];

/** Whether a request has ended (it is never handed out again). */
export function isAgentRequestFinished(status: AgentRequestStatus): boolean {
  return status === "completed" || status === "failed" || status === "unsupported";
}

/** The code-server calls the control plane proxies through an agent. */
export const CODE_SERVER_CALLS = [
  "snapshot",
  "execution_plan",
  "schedule_evaluation",
  "sensor_evaluation",
] as const;

/** One proxied code-server call. */
export type CodeServerCall = (typeof CODE_SERVER_CALLS)[number];

/** Agents serve this queue unless they name theirs; locations without `agent_queue` are on it. */
export const DEFAULT_AGENT_QUEUE = "default";

/** Payload of `reconcile_locations`: the desired locations of a deployment at one version. */
export interface ReconcileLocationsPayload {
  readonly version: number;
  readonly locations: JsonValue;
}

/** Payload of `code_server_call`. */
export interface CodeServerCallPayload {
  readonly location: string;
  readonly call: CodeServerCall;
  readonly arguments: JsonValue;
}

/** Payload of `launch_run`; the run token is added when the request is handed out, never stored. */
export interface LaunchRunPayload {
  readonly runId: string;
  readonly location: string;
}

/** Payload of `terminate_run`. */
export interface TerminateRunPayload {
  readonly runId: string;
}
