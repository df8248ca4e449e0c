/**
 * What the step-queue suites share: a test database (also the PostgreSQL backend's home), a BOSUN_HOME
 * whose bosun.yaml names the backend and queues, runs executed by the queue executor in this process
 * (the run worker), and `bosun queue worker` processes.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { RunStatus, StoredEvent } from "@bosun/core";
import { type CodeOrigin, executeRun, loadDefinitions } from "@bosun/engine";
import { queueExecutorFactory } from "@bosun/queues";
import { inProcessLocation, RunRequests } from "@bosun/runs";
import { createTestStorage, startBosun, type TestStorage, waitFor } from "@bosun/test-support";
import YAML from "yaml";

export const QUEUE_FIXTURE = fileURLToPath(new URL("./fixtures/queue-location.ts", import.meta.url));

/** A started run: its id, the run worker's end, and a way to cancel it as a terminating launcher would. */
export interface StartedRun {
  readonly runId: string;
  readonly done: Promise<RunStatus>;
  readonly abort: AbortController;
}

export interface QueueHarness {
  readonly db: TestStorage;
  readonly home: string;
  readonly env: Record<string, string>;
  start(jobName: string, tags?: Record<string, string>): Promise<StartedRun>;
  startWorker(queues: string, concurrency?: number): Promise<ChildProcess>;
  events(runId: string): Promise<readonly StoredEvent[]>;
  close(): Promise<void>;
}

/** A harness whose bosun.yaml has `queues` (backend settings and queue definitions). */
export async function startQueueHarness(queues: Record<string, unknown>): Promise<QueueHarness> {
  const db = await createTestStorage();
  const home = await mkdtemp(path.join(tmpdir(), "bosun-queues-"));
  await writeFile(path.join(home, "bosun.yaml"), YAML.stringify({ queues }));
  const env = { BOSUN_HOME: home, BOSUN_DATABASE_URL: db.databaseUrl };
  process.env.BOSUN_HOME = home;
  const origin: CodeOrigin = { file: QUEUE_FIXTURE };
  const definitions = await loadDefinitions(origin);
  const requests = new RunRequests({
    storage: db.storage,
    locations: inProcessLocation(definitions, origin),
  });
  const workers: ChildProcess[] = [];
  const runs: StartedRun[] = [];
  return {
    db,
    home,
    env,
    async start(jobName, tags) {
      const run = await requests.launch({ jobName, status: "NOT_STARTED", ...(tags ? { tags } : {}) });
      const abort = new AbortController();
      const done = executeRun({
        storage: db.storage,
        bosunHome: home,
        runId: run.runId,
        origin,
        definitions,
        childEnv: env,
        signal: abort.signal,
        executors: { queue: async () => queueExecutorFactory },
      });
      const started = { runId: run.runId, done, abort };
      runs.push(started);
      return started;
    },
    async startWorker(queueNames, concurrency = 1) {
      const { child } = startBosun(
        ["queue", "worker", "--queue", queueNames, "--concurrency", String(concurrency)],
        env,
      );
      workers.push(child);
      let stderr = "";
      child.stderr!.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const served = queueNames.split(",").length;
      await waitFor(
        "the queue worker to start",
        () => {
          if (child.exitCode !== null) return `exited ${child.exitCode}: ${stderr}`;
          return (stderr.match(/serves queue/g) ?? []).length >= served ? "ready" : undefined;
        },
        90_000,
        50,
      ).then((state) => {
        if (state !== "ready") throw new Error(`queue worker ${state}`);
      });
      return child;
    },
    events: (runId) => db.storage.events.getEvents(runId),
    async close() {
      for (const run of runs) run.abort.abort(new Error("test ends"));
      await Promise.all(runs.map((run) => run.done.catch(() => undefined)));
      await Promise.all(
        workers.map(async (child) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = new Promise((resolve) => child.once("exit", resolve));
          child.kill("SIGKILL");
          await exited;
        }),
      );
      await db.drop();
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** Most steps active at once, from their STEP_START and outcome timestamps. */
export function peakActiveSteps(events: readonly StoredEvent[]): number {
  const edges: [number, number][] = [];
  for (const event of events) {
    if (event.type === "STEP_START") edges.push([event.timestamp, 1]);
    if (event.type === "STEP_SUCCESS" || event.type === "STEP_FAILURE" || event.type === "STEP_RETRY")
      edges.push([event.timestamp, -1]);
  }
  // At equal times an end comes before a start: a step may start the moment another ends.
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let active = 0;
  let peak = 0;
  for (const [, delta] of edges) {
    active += delta;
    peak = Math.max(peak, active);
  }
  return peak;
}
