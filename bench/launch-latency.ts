/**
 * Launch latency (run with `npx tsx bench/launch-latency.ts`): the queued run coordinator and the
 * DefaultRunLauncher, from the API-ish call that queues a run to the RUN_START event its worker writes;
 * median and p95 over 50 launches, one at a time, back to back and then a second apart, beside the floor
 * of starting a bare `node` process measured in the same run. Goal: median <= 500 ms.
 */

import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { startWorkspace } from "@bosun/code-server";
import { startDaemon } from "@bosun/daemon";
import { parseDaemonSettings } from "@bosun/instance";
import { createRunLauncher } from "@bosun/runs";
import { BOSUN_COMMAND } from "@bosun/test-support";
import { bareNodeStartMs, fmt, median, percentile, withScratchInstance } from "./bench-support.ts";

const FIXTURE = fileURLToPath(new URL("./fixtures/quick-location.ts", import.meta.url));
const LAUNCHES = Number(process.env.LAUNCHES ?? 50);

await withScratchInstance(async (instance) => {
  const storage = instance.storage;
  const workspace = await startWorkspace(
    { file: FIXTURE, locationName: "quick" },
    { bosunCommand: BOSUN_COMMAND, env: instance.childEnv, log: () => {} },
  );
  const launcher = await createRunLauncher(instance, { plugins: [], bosunCommand: BOSUN_COMMAND });
  const daemon = await startDaemon({
    instance: { storage, daemon: parseDaemonSettings({ run_coordinator: { max_concurrent_runs: 10 } }) },
    workspace,
    launcher,
    loops: ["RUN_QUEUE"],
    log: () => {},
  });
  try {
    const launchOnce = async () => {
      const runId = randomUUID();
      const queuedAt = Date.now();
      await storage.runs.createRun({
        runId,
        jobName: "trivial_job",
        status: "QUEUED",
        codeLocation: "quick",
      });
      const start = await new Promise<number>((resolve, reject) => {
        let subscription: { close(): Promise<void> } | null = null;
        let done = false;
        storage.events
          .watchEvents(runId, 0, (events) => {
            const event = events.find((e) => e.type === "RUN_START" || e.type === "RUN_FAILURE");
            if (!event || done) return;
            done = true;
            void subscription?.close();
            if (event.type === "RUN_START") resolve(event.timestamp);
            else reject(new Error(`run ${runId} failed: ${JSON.stringify(event.data)}`));
          })
          .then((s) => {
            subscription = s;
            if (done) void s.close();
          }, reject);
      });
      // Wait for the run to end so launches do not overlap.
      for (;;) {
        const run = await storage.runs.getRun(runId);
        if (run && ["SUCCESS", "FAILURE", "CANCELED"].includes(run.status)) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return start - queuedAt;
    };

    await launchOnce(); // warm-up: compile cache, connections
    const floor = bareNodeStartMs();
    console.log(
      `launch latency, queued run -> RUN_START, ${LAUNCHES} launches each (queued coordinator + DefaultRunLauncher):`,
    );
    console.log(`  floor: bare node process start ${fmt(floor, 1)} ms (median of 10)`);
    // Back to back: the next run is queued as soon as the last one ended, so the spare worker started at
    // the last launch may still be loading. Spaced: a second between runs, as launches by people or
    // schedules are. Both are printed; neither hides the other.
    for (const gapMs of [0, 1000]) {
      const latencies: number[] = [];
      for (let i = 0; i < LAUNCHES; i++) {
        if (gapMs) await new Promise((resolve) => setTimeout(resolve, gapMs));
        latencies.push(await launchOnce());
      }
      const m = median(latencies);
      const p95 = percentile(latencies, 95);
      console.log(
        `  ${gapMs ? `${gapMs} ms apart` : "back to back"}: median ${fmt(m, 0)} ms, p95 ${fmt(p95, 0)} ms, min ${fmt(Math.min(...latencies), 0)} ms, max ${fmt(Math.max(...latencies), 0)} ms; median / floor ${fmt(m / floor, 1)}x; goal median <= 500 ms ${m <= 500 ? "met" : "NOT met"}`,
      );
    }
  } finally {
    await daemon.stop();
    await launcher.close();
    await workspace.close();
  }
});
