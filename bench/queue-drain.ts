/**
 * Queue drain (run with `npx tsx bench/queue-drain.ts`): 1,000 queued runs of a trivial job, drained by
 * the queued run coordinator and the DefaultRunLauncher (one `bosun api execute-run` process per run)
 * with `max_concurrent_runs: 10`. Prints runs per minute. That the limit is never exceeded is asserted in
 * `packages/daemon/test/run-queue.pg.test.ts`, not here; the peak seen is printed for information.
 */

import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { startWorkspace } from "@bosun/code-server";
import { startDaemon } from "@bosun/daemon";
import { parseDaemonSettings } from "@bosun/instance";
import { createRunLauncher } from "@bosun/runs";
import { BOSUN_COMMAND } from "@bosun/test-support";
import { fmt, withScratchInstance } from "./bench-support.ts";

const FIXTURE = fileURLToPath(new URL("./fixtures/quick-location.ts", import.meta.url));
const RUNS = Number(process.env.RUNS ?? 1000);
const LIMIT = 10;

await withScratchInstance(async (instance) => {
  const storage = instance.storage;
  const workspace = await startWorkspace(
    { file: FIXTURE, locationName: "quick" },
    { bosunCommand: BOSUN_COMMAND, env: instance.childEnv, log: () => {} },
  );
  const runIds: string[] = [];
  for (let i = 0; i < RUNS; i++) {
    const runId = randomUUID();
    runIds.push(runId);
    await storage.runs.createRun({ runId, jobName: "trivial_job", status: "QUEUED", codeLocation: "quick" });
  }
  const launcher = await createRunLauncher(instance, { plugins: [], bosunCommand: BOSUN_COMMAND });
  const started = performance.now();
  const daemon = await startDaemon({
    instance: { storage, daemon: parseDaemonSettings({ run_coordinator: { max_concurrent_runs: LIMIT } }) },
    workspace,
    launcher,
    loops: ["RUN_QUEUE"],
    log: () => {},
  });
  let peak = 0;
  try {
    for (;;) {
      const inProgress = await storage.runs.countRuns({ statuses: ["STARTING", "STARTED", "CANCELING"] });
      peak = Math.max(peak, inProgress);
      const ended = await storage.runs.countRuns({ statuses: ["SUCCESS", "FAILURE", "CANCELED"] });
      if (ended >= RUNS) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const minutes = (performance.now() - started) / 60_000;
    const failed = await storage.runs.countRuns({ statuses: ["FAILURE", "CANCELED"] });
    console.log(
      `queue drain: ${RUNS} queued runs of a trivial job, max_concurrent_runs ${LIMIT}, DefaultRunLauncher:`,
    );
    console.log(
      `  wall ${fmt(minutes * 60, 1)} s, ${fmt(RUNS / minutes, 0)} runs per minute (${failed} did not succeed)`,
    );
    console.log(`  peak runs in progress seen by sampling: ${peak}`);
  } finally {
    await daemon.stop();
    await launcher.close();
    await workspace.close();
  }
});
