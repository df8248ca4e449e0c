/**
 * How fast Bosun notices dead run workers and abandoned launches (run with
 * `npx tsx bench/worker-death-detection.ts`), with real `bosun api execute-run` workers on a scratch
 * instance, the run monitor's full poll left at its default 30 s:
 *
 * 1. Process exit: a worker killed with -9 under the daemon that launched it (DefaultRunLauncher reports
 *    the exit). From the kill to the stored RUN_FAILURE.
 * 2. Heartbeats: a worker killed with -9 after the daemon that launched it stopped, under another daemon.
 *    From the kill to the stored RUN_FAILURE.
 * 3. Abandoned launches: a batch of runs admitted by a daemon that died before launching them, while
 *    another daemon runs (it finds them on its next pass, at most `dequeue_interval_seconds`, 5 s, away).
 *    From the admission to the takeover (the run's relaunch event), and to each run's RUN_START beside
 *    a batch of the same size queued and launched normally (the cost of starting that many workers).
 *
 * Goal: under 5 s for dead workers, and a takeover within `dequeue_interval_seconds` (5 s) + 1 s by a
 * daemon already running (a daemon starting takes over on its first pass), each printed beside the old
 * bound (the 30 s poll, the 120 s heartbeat timeout, the 180 s start timeout).
 */

import { randomUUID } from "node:crypto";
import { startWorkspace, type WorkspaceManager } from "@bosun/code-server";
import type { RunStatus } from "@bosun/core";
import { type DaemonHandle, startDaemon } from "@bosun/daemon";
import { type Instance, parseDaemonSettings } from "@bosun/instance";
import { DefaultRunLauncher } from "@bosun/runs";
import type { BosunStorage } from "@bosun/storage";
import { BOSUN_COMMAND, FIXTURES } from "@bosun/test-support";
import { fmt, median, withScratchInstance } from "./bench-support.ts";

const SAMPLES = Number(process.env.SAMPLES ?? 5);
const BATCH = Number(process.env.BATCH ?? 10);
const LOCATION = "daemon-location";
const GOAL_MS = 5_000;
/** Runs with this tag are never admitted by the daemons here: only the "dead" daemon below admits them. */
const HOLD_TAG = "bench/held";
const settings = parseDaemonSettings({
  run_coordinator: { max_concurrent_runs: 50, tag_concurrency_limits: [{ key: HOLD_TAG, limit: 0 }] },
  run_monitoring: { worker_heartbeat_interval_seconds: 1, worker_heartbeat_timeout_seconds: 4 },
});

await withScratchInstance(async (instance) => {
  const workspace = await startWorkspace(
    { file: FIXTURES.daemon, locationName: LOCATION },
    { bosunCommand: BOSUN_COMMAND, env: instance.childEnv, log: () => {} },
  );
  try {
    console.log(`dead workers and abandoned launches, ${SAMPLES} samples each (full poll: 30 s):`);
    const exits = await sampleWorkerDeaths(instance, workspace, "exit");
    report("worker killed, its daemon alive (process exit)", exits, 30_000, "the 30 s poll");
    const beats = await sampleWorkerDeaths(instance, workspace, "heartbeat");
    report("worker killed, its daemon gone (heartbeats)", beats, 120_000, "the old 120 s heartbeat timeout");
    const launches = await sampleAbandonedLaunches(instance, workspace);
    report(
      `run admitted by a dead daemon, ${BATCH} per batch: admission to takeover`,
      launches.takeover,
      180_000,
      "the 180 s start timeout",
      // A live daemon looks for abandoned launches on each pass: at most dequeue_interval_seconds apart.
      settings.runCoordinator.dequeueIntervalMs + 1_000,
    );
    const relaunched = median(launches.relaunchedStart);
    const normal = median(launches.normalStart);
    console.log(
      `  the same runs, admission to RUN_START: median ${fmt(relaunched / 1000)} s, beside ${fmt(normal / 1000)} s queue to RUN_START for a batch of ${BATCH} launched normally (${fmt(relaunched / normal, 2)}x)`,
    );
  } finally {
    await workspace.close();
  }
});

function report(what: string, times: readonly number[], oldMs: number, old: string, goalMs = GOAL_MS): void {
  const m = median(times);
  const max = Math.max(...times);
  console.log(
    `  ${what}: median ${fmt(m / 1000)} s, max ${fmt(max / 1000)} s; ${fmt(oldMs / m, 0)}x sooner than ${old}; goal < ${goalMs / 1000} s ${max < goalMs ? "met" : "NOT met"}`,
  );
}

async function daemonWith(
  instance: Instance,
  workspace: WorkspaceManager,
  loops: readonly ("RUN_QUEUE" | "RUN_MONITOR")[],
): Promise<{ daemon: DaemonHandle; launcher: DefaultRunLauncher }> {
  const launcher = new DefaultRunLauncher({ childEnv: instance.childEnv, command: BOSUN_COMMAND });
  const daemon = await startDaemon({
    instance: { storage: instance.storage, daemon: settings },
    workspace,
    launcher,
    loops,
    log: () => {},
  });
  return { daemon, launcher };
}

async function waitForStatus(storage: BosunStorage, runId: string, wanted: readonly RunStatus[]) {
  for (;;) {
    const run = await storage.runs.getRun(runId);
    if (run && wanted.includes(run.status)) return run;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Kill -9 to the stored end of the run, per sample. */
async function sampleWorkerDeaths(
  instance: Instance,
  workspace: WorkspaceManager,
  path: "exit" | "heartbeat",
): Promise<number[]> {
  const { storage } = instance;
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    let current = await daemonWith(instance, workspace, ["RUN_QUEUE", "RUN_MONITOR"]);
    const runId = randomUUID();
    await storage.runs.createRun({ runId, jobName: "slow_job", status: "QUEUED", codeLocation: LOCATION });
    const started = await waitForStatus(storage, runId, ["STARTED"]);
    if (path === "heartbeat") {
      // The launching daemon goes away (its worker runs on); another daemon, which never saw the worker, takes over.
      await current.daemon.stop();
      await current.launcher.close();
      current = await daemonWith(instance, workspace, ["RUN_MONITOR"]);
      // Past the new monitor's first full poll, so its next one is 30 s away.
      await new Promise((resolve) => setTimeout(resolve, 6_000));
    }
    const killedAt = Date.now();
    process.kill(started.launcherInfo.pid as number, "SIGKILL");
    const ended = await waitForStatus(storage, runId, ["FAILURE", "SUCCESS", "CANCELED"]);
    times.push(ended.endTime!.getTime() - killedAt);
    await current.daemon.stop();
    await current.launcher.close();
  }
  return times;
}

/**
 * Runs admitted by a daemon that holds no lease (it died), under a live daemon: admission to takeover
 * and to RUN_START; and a batch queued normally, queue to RUN_START.
 */
async function sampleAbandonedLaunches(
  instance: Instance,
  workspace: WorkspaceManager,
): Promise<{ takeover: number[]; relaunchedStart: number[]; normalStart: number[] }> {
  const { storage } = instance;
  const { daemon, launcher } = await daemonWith(instance, workspace, ["RUN_QUEUE", "RUN_MONITOR"]);
  const result = { takeover: [] as number[], relaunchedStart: [] as number[], normalStart: [] as number[] };
  const queueBatch = async (tags: Record<string, string>) => {
    const batch = new Set<string>();
    for (let j = 0; j < BATCH; j++) {
      const runId = randomUUID();
      await storage.runs.createRun({
        runId,
        jobName: "quick_job",
        status: "QUEUED",
        codeLocation: LOCATION,
        tags,
      });
      batch.add(runId);
    }
    return batch;
  };
  const startTimes = async (batch: Set<string>, since: number) => {
    const times: number[] = [];
    for (const runId of batch) {
      await waitForStatus(storage, runId, ["SUCCESS", "FAILURE", "CANCELED"]);
      const [start] = await storage.events.getEvents(runId, { types: ["RUN_START"] });
      times.push((start?.timestamp ?? Number.NaN) - since);
    }
    return times;
  };
  try {
    for (let i = 0; i < SAMPLES; i++) {
      // Held by a tag limit of 0, so the live daemon does not admit them itself; the dead one does below.
      const held = await queueBatch({ [HOLD_TAG]: "yes" });
      const admittedAt = Date.now();
      await storage.runQueue.claimQueuedRuns(
        (snapshot) => snapshot.queued.filter((run) => held.has(run.runId)).map((run) => run.runId),
        { launchOwner: `dead-daemon-${randomUUID()}` },
      );
      result.relaunchedStart.push(...(await startTimes(held, admittedAt)));
      for (const runId of held) {
        const [relaunch] = await storage.events.getEvents(runId, { types: ["ENGINE_EVENT"] });
        result.takeover.push((relaunch?.timestamp ?? Number.NaN) - admittedAt);
      }
      const queuedAt = Date.now();
      const normal = await queueBatch({});
      result.normalStart.push(...(await startTimes(normal, queuedAt)));
    }
  } finally {
    await daemon.stop();
    await launcher.close();
  }
  return result;
}
