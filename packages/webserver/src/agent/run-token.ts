import type { AuthStorage } from "@bosun/storage";

/**
 * Mints the token a run's workers report with: kind `run`, scoped to that one run, expiring after
 * `ttlMs`, and refused once the run has ended. Minted when a launch is handed to an agent and returned
 * in that answer only (never stored in the request), so the agent passes it to the run pod and its own
 * agent token never leaves the agent. A launch handed out again (its first agent died) gets a new one.
 */
export async function mintRunToken(
  auth: AuthStorage,
  options: {
    readonly runId: string;
    readonly requestId: string;
    readonly attempt: number;
    readonly agentId: string;
    readonly ttlMs: number;
    readonly now: Date;
  },
): Promise<string> {
  const { secret } = await auth.createToken({
    name: `run-${options.runId}-${options.requestId.slice(0, 8)}-${options.attempt}`.slice(0, 100),
    kind: "run",
    role: "viewer",
    runId: options.runId,
    createdBy: `agent ${options.agentId}`,
    expiresAt: new Date(options.now.getTime() + options.ttlMs),
  });
  return secret;
}
