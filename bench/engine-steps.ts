/**
 * Engine overhead per step (run with `npx tsx bench/engine-steps.ts`):
 *  - in-process executor, 1,000 trivial steps, events written to PostgreSQL;
 *  - multiprocess executor, 200 trivial steps, max_concurrent 2, reused workers and a fresh process per step;
 * beside the floor of starting a bare `node` process, measured in the same run.
 */
import { fileURLToPath } from "node:url";
import { executeRun, loadDefinitions } from "@bosun/engine";
import { inProcessLocation, RunRequests } from "@bosun/runs";
import { bareNodeStartMs, fmt, median, withScratchInstance } from "./bench-support.ts";

const origin = { file: fileURLToPath(new URL("./fixtures/trivial-location.ts", import.meta.url)) };
const definitions = await loadDefinitions(origin);
const locations = inProcessLocation(definitions, origin);

await withScratchInstance(async (instance) => {
  const runJob = async (jobName: string) => {
    const requests = new RunRequests({ storage: instance.storage, locations });
    const run = await requests.launch({ jobName, status: "NOT_STARTED" });
    const started = performance.now();
    const status = await executeRun({
      storage: instance.storage,
      bosunHome: instance.home,
      runId: run.runId,
      origin,
      definitions,
      childEnv: instance.childEnv,
    });
    const wallMs = performance.now() - started;
    if (status !== "SUCCESS") throw new Error(`${jobName} ended ${status}`);
    const starts = (await instance.storage.events.getEvents(run.runId, { types: ["STEP_START"] })).map(
      (e) => e.timestamp,
    );
    return { wallMs, starts };
  };

  await runJob("in_process_1000"); // warm-up: JIT, connections, file system
  const inProcess = await runJob("in_process_1000");
  const gaps = inProcess.starts.slice(1).map((t, i) => t - inProcess.starts[i]!);
  console.log("in-process executor, 1,000 trivial steps (events in PostgreSQL):");
  console.log(`  wall ${fmt(inProcess.wallMs, 0)} ms, ${fmt(inProcess.wallMs / 1000, 3)} ms per step`);
  console.log(`  median step-to-step overhead ${fmt(median(gaps), 3)} ms (goal <= 2 ms)`);

  const nodeStart = bareNodeStartMs();
  const reused = await runJob("multiprocess_200");
  const fresh = await runJob("fresh_process_200");
  const perStep = (wall: number) => wall / 200;
  console.log("multiprocess executor, 200 trivial steps, max_concurrent 2:");
  console.log(`  floor: bare node process start ${fmt(nodeStart, 1)} ms (median of 10)`);
  console.log(
    `  reused workers: wall ${fmt(reused.wallMs, 0)} ms, ${fmt(perStep(reused.wallMs), 2)} ms per step, ratio to node start ${fmt(perStep(reused.wallMs) / nodeStart)}x`,
  );
  console.log(
    `  fresh process per step: wall ${fmt(fresh.wallMs, 0)} ms, ${fmt(perStep(fresh.wallMs), 2)} ms per step, ratio to node start ${fmt(perStep(fresh.wallMs) / nodeStart)}x`,
  );
});
