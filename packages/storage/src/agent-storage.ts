import type { AgentRequestOutcome, AgentRequestStatus, JsonValue } from "@bosun/core";
import type { Subscription } from "./subscription.ts";

/** What an agent says about itself when it registers (its id is stable across restarts). */
export interface AgentRegistration {
  /** Chosen by the agent and kept across its restarts, so a restarted agent is the same agent. */
  readonly agentId: string;
  readonly label: string;
  /** The agent's software version. */
  readonly version: string;
  /** The deployments whose requests it takes. */
  readonly deployments: readonly string[];
  /** The queues it serves (`default` unless it names others). */
  readonly queues: readonly string[];
  /** The agent token it registered with (its name), for people. */
  readonly tokenName: string;
}

/** An agent as stored. */
export interface AgentRecord extends AgentRegistration {
  readonly registeredAt: Date;
  readonly lastHeartbeatAt: Date;
  /** What its last heartbeat reported (code servers and their state); null before the first. */
  readonly status: JsonValue | null;
}

/** A request to enqueue for the agents of a deployment. */
export interface NewAgentRequest {
  readonly deployment: string;
  /** Only agents serving this queue take it. */
  readonly queue: string;
  readonly type: string;
  readonly payload: JsonValue;
  /** Only this agent takes it (a terminate for isolated agents goes to the agent that launched the run). */
  readonly targetAgentId?: string | null;
}

/** A request as stored. */
export interface AgentRequestRecord {
  readonly id: string;
  readonly deployment: string;
  readonly queue: string;
  readonly type: string;
  readonly payload: JsonValue;
  readonly targetAgentId: string | null;
  readonly status: AgentRequestStatus;
  /** The agent that holds (or last held) it. */
  readonly agentId: string | null;
  /** How many times it was handed out (more than once after a lease expired). */
  readonly attempts: number;
  readonly leaseExpiresAt: Date | null;
  readonly result: JsonValue | null;
  readonly error: JsonValue | null;
  readonly createdAt: Date;
  readonly leasedAt: Date | null;
  readonly acknowledgedAt: Date | null;
  readonly finishedAt: Date | null;
}

/** What taking requests takes. */
export interface ClaimAgentRequests {
  readonly agentId: string;
  readonly deployments: readonly string[];
  readonly queues: readonly string[];
  readonly max: number;
  /** How long the lease lasts unless the agent's heartbeats renew it. */
  readonly leaseMs: number;
  readonly at: Date;
}

/**
 * The answer to an acknowledgement or completion: `done` (this call changed it), `unchanged` (it was
 * already in that state: a retry), `finished` (it had ended otherwise, e.g. completed before a retry of
 * the acknowledgement), `not_holder` (its lease went to another agent), `not_found`.
 */
export type AgentRequestUpdate =
  | { readonly kind: "done" | "unchanged" | "finished" | "not_holder"; readonly request: AgentRequestRecord }
  | { readonly kind: "not_found" };

/** How an agent ends a request. */
export interface AgentRequestCompletion {
  readonly outcome: AgentRequestOutcome;
  readonly result?: JsonValue | null;
  readonly error?: JsonValue | null;
}

/** Agents and the requests leased to them (hybrid mode's control plane). */
export interface AgentStorage {
  /**
   * Creates or updates the agent (a restart re-registers under the same id). Requests leased to it but
   * never acknowledged go back to pending at once: the process they were handed to is gone.
   */
  registerAgent(registration: AgentRegistration, at: Date): Promise<AgentRecord>;
  getAgent(agentId: string): Promise<AgentRecord | null>;
  listAgents(): Promise<readonly AgentRecord[]>;
  /**
   * Records a heartbeat and renews the leases of every unfinished request the agent holds for another
   * `leaseMs`. Null when no agent has this id.
   */
  heartbeatAgent(
    agentId: string,
    at: Date,
    leaseMs: number,
    status: JsonValue | null,
  ): Promise<AgentRecord | null>;
  /** Stores a pending request and notifies waiting long polls (in its transaction). */
  enqueueRequest(request: NewAgentRequest, at: Date): Promise<AgentRequestRecord>;
  /**
   * Leases up to `max` requests to the agent, oldest first: pending ones, and ones whose lease expired
   * (their holder stopped heartbeating). Concurrent callers never take the same request.
   */
  claimRequests(claim: ClaimAgentRequests): Promise<readonly AgentRequestRecord[]>;
  /** Notes that the holder started on it (and renews its lease). Idempotent. */
  acknowledgeRequest(id: string, agentId: string, at: Date, leaseMs: number): Promise<AgentRequestUpdate>;
  /** Ends it with the agent's outcome; a repeated completion changes nothing. */
  completeRequest(
    id: string,
    agentId: string,
    completion: AgentRequestCompletion,
    at: Date,
  ): Promise<AgentRequestUpdate>;
  getRequest(id: string): Promise<AgentRequestRecord | null>;
  /**
   * Calls `onEnqueued` whenever a request is enqueued by any process (and after a lost connection, when
   * one may have been missed). Resolves once listening: a request enqueued afterwards is notified.
   */
  watchRequests(onEnqueued: () => void): Promise<Subscription>;
}
