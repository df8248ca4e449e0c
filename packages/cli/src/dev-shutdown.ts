import { IN_PROGRESS_RUN_STATUSES, isTerminalRunStatus } from "@bosun/core";
import { type RunLauncher, terminateRun } from "@bosun/runs";
import type { BosunStorage } from "@bosun/storage";

/** How long `bosun dev` waits for canceled runs to end before it stops anyway. */
export const DEV_CANCEL_GRACE_MS = 30_000;

/**
 * What the first Ctrl-C does to `bosun dev` before it stops: runs in progress would otherwise go on
 * against a database that is about to stop (and stay STARTED until the next start), so they are
 * terminated — their workers interrupt their steps and end the runs CANCELED — and waited for up to
 * `graceMs`. `forced` settles on a second Ctrl-C, which stops the wait at once. Queued runs stay queued
 * and start at the next `bosun dev`.
 */
export async function cancelRunsInProgress(
  storage: BosunStorage,
  launcher: RunLauncher,
  options: {
    readonly graceMs: number;
    readonly forced: Promise<unknown>;
    readonly print: (line: string) => void;
  },
): Promise<void> {
  const { runs } = await storage.runs.listRuns({ statuses: [...IN_PROGRESS_RUN_STATUSES] }, { limit: 1_000 });
  if (runs.length === 0) return;
  options.print(
    `Canceling ${runs.length} run${runs.length === 1 ? "" : "s"}... (Ctrl-C again to stop at once)`,
  );
  await Promise.all(
    runs.map((run) =>
      terminateRun(storage, launcher, run.runId, { reason: "bosun dev is stopping" }).catch(() => undefined),
    ),
  );
  let forced = false;
  void options.forced.then(() => {
    forced = true;
  });
  const deadline = Date.now() + options.graceMs;
  let unfinished = runs.map((run) => run.runId);
  while (unfinished.length > 0 && !forced && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const current = await Promise.all(unfinished.map((runId) => storage.runs.getRun(runId)));
    unfinished = current.filter((run) => run && !isTerminalRunStatus(run.status)).map((run) => run!.runId);
  }
  if (unfinished.length > 0)
    options.print(
      `Stopping with ${unfinished.length} run${unfinished.length === 1 ? "" : "s"} not yet ended: ${unfinished.join(", ")}`,
    );
}
