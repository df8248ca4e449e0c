/** How the agent API and the run reporting API behave; production defaults, shorter in tests. */
export interface AgentApiSettings {
  /** How long a poll waits for work before answering empty (an agent polls again at once). */
  readonly longPollMs: number;
  /**
   * How long a handed-out request stays with its agent without a heartbeat or acknowledgement renewing
   * it; after that another agent gets it. Agents heartbeat several times per lease.
   */
  readonly leaseMs: number;
  /** How often a waiting poll looks for leases that expired (they send no notification). */
  readonly expiredLeaseRecheckMs: number;
  /** At most this many requests per poll. */
  readonly maxRequestsPerPoll: number;
  /** Lifetime of a run token minted when a launch is handed out. */
  readonly runTokenTtlMs: number;
}

/** Production defaults: a 25 s long poll, 60 s leases (agents heartbeat every 15 s), 24 h run tokens. */
export const DEFAULT_AGENT_API_SETTINGS: AgentApiSettings = {
  longPollMs: 25_000,
  leaseMs: 60_000,
  expiredLeaseRecheckMs: 5_000,
  maxRequestsPerPoll: 10,
  runTokenTtlMs: 24 * 60 * 60 * 1000,
};
