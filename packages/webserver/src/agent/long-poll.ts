import type { AgentRequestRecord, AgentStorage, ClaimAgentRequests } from "@bosun/storage";

/**
 * Answers a poll with requests as soon as one exists for the agent, or with none after `waitMs`.
 *
 * It listens before it looks (so a request enqueued between the look and the wait is not missed), then
 * looks again whenever a request is enqueued anywhere (PostgreSQL NOTIFY) and every
 * `expiredLeaseRecheckMs` (an expired lease sends no notification). A notification for a request
 * another agent took just leads to an empty look and more waiting. Stops early, empty, when `signal`
 * aborts (the agent hung up).
 */
export async function pollForRequests(
  agents: AgentStorage,
  claim: Omit<ClaimAgentRequests, "at">,
  options: {
    readonly waitMs: number;
    readonly expiredLeaseRecheckMs: number;
    readonly now: () => Date;
    readonly signal: AbortSignal;
  },
): Promise<readonly AgentRequestRecord[]> {
  let wake: (() => void) | null = null;
  let notified = false;
  const subscription = await agents.watchRequests(() => {
    notified = true;
    wake?.();
  });
  try {
    const deadline = Date.now() + options.waitMs;
    for (;;) {
      notified = false;
      const claimed = await agents.claimRequests({ ...claim, at: options.now() });
      const left = deadline - Date.now();
      if (claimed.length > 0 || left <= 0 || options.signal.aborted) return claimed;
      // A notification that came while we looked means: look again at once.
      if (notified) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, options.expiredLeaseRecheckMs));
        function done() {
          clearTimeout(timer);
          wake = null;
          options.signal.removeEventListener("abort", done);
          resolve();
        }
        wake = done;
        options.signal.addEventListener("abort", done, { once: true });
      });
    }
  } finally {
    await subscription.close();
  }
}
