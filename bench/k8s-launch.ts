/**
 * Kubernetes launch costs against kube-sim:
 *
 * 1. Launch throughput: N runs launched by the K8sRunLauncher (with its watch-based monitor running)
 *    into a control-plane-only kube-sim (pods stay Pending, so only the launcher's work is timed), 8 at
 *    once, each launch's launcher info recorded as the daemon does; API requests per run launched. Floor: the same Job manifests created with bare client calls.
 * 2. Per step: one k8sJobExecutor run with 5 steps end to end (real pods, embedded PostgreSQL);
 *    API requests made during the run, per step. Watches, not polls: the count does not grow with time.
 *
 *   npx tsx bench/k8s-launch.ts [runs]
 */

import { randomUUID } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { LocationEntry } from "@bosun/code-server";
import type { RunRecord } from "@bosun/core";
import { loadDefinitions } from "@bosun/engine";
import { openInstance } from "@bosun/instance";
import { createKubeClients, K8sRunLauncher, runJobManifest } from "@bosun/k8s";
import { startKubeSim } from "@bosun/kube-sim";
import { inProcessLocation, type RunObserver, RunRequests } from "@bosun/runs";

const RUNS = Number(process.argv[2] ?? 200);
const CONCURRENCY = 8;
const REPO = fileURLToPath(new URL("../", import.meta.url));
const FIXTURE = path.join(REPO, "packages/k8s/test/fixtures/k8s-location.ts");

async function inParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

function location(containerContext: unknown = null): LocationEntry {
  return {
    name: "bench",
    status: "LOADED",
    address: "",
    serverId: null,
    error: null,
    updatedAt: new Date(),
    snapshot: { origin: { file: FIXTURE }, containerContext } as never,
  };
}

/** The watches run as in the daemon, their reports dropped: only the launch is timed. */
const IGNORING_OBSERVER: RunObserver = {
  warning: async () => undefined,
  launcherInfoChanged: async () => undefined,
  workerEnded: async () => false,
};

const home = await mkdtemp(path.join(tmpdir(), "bosun-k8s-bench-"));
// The embedded PostgreSQL runs as the postgres user when this runs as root.
await chmod(home, 0o755);
const instance = await openInstance({ home });
try {
  // 1. Launch throughput.
  {
    const sim = await startKubeSim({ kubelet: false });
    try {
      const clients = createKubeClients({ kind: "kubeconfig", file: sim.kubeconfigPath });
      const config = {
        kubeconfig_file: sim.kubeconfigPath,
        image: "bosun/bosun:bench",
        job_namespace: "default",
      };
      const launcher = K8sRunLauncher.fromConfig(config, { log: () => {} });
      launcher.observe(IGNORING_OBSERVER);
      const runs: RunRecord[] = [];
      for (let i = 0; i < RUNS * 2; i++)
        runs.push(
          await instance.storage.runs.createRun({
            runId: randomUUID(),
            jobName: "hello_job",
            status: "STARTING",
            tags: {},
          }),
        );
      await launcher.monitor?.watchNamespace("default");

      const floorRuns = runs.slice(RUNS);
      const floorStart = performance.now();
      await inParallel(floorRuns, CONCURRENCY, async (run) => {
        const job = runJobManifest({ run, origin: { file: FIXTURE }, launcher: launcher.config });
        await clients.batch.createNamespacedJob({ namespace: "default", body: job });
      });
      const floorSeconds = (performance.now() - floorStart) / 1000;

      const before = sim.requestCount();
      const started = performance.now();
      await inParallel(runs.slice(0, RUNS), CONCURRENCY, async (run) =>
        instance.storage.runs.mergeLauncherInfo(run.runId, await launcher.launch(run, location())),
      );
      const seconds = (performance.now() - started) / 1000;
      const requests = sim.requestCount() - before;
      await launcher.close();
      console.log(`launch: ${RUNS} runs in ${seconds.toFixed(2)} s = ${(RUNS / seconds).toFixed(0)} runs/s`);
      console.log(
        `  floor (bare createNamespacedJob of the same manifests): ${(RUNS / floorSeconds).toFixed(0)} Jobs/s; launcher/floor = ${(floorSeconds / seconds).toFixed(2)}`,
      );
      console.log(
        `  Kubernetes API requests per run launched: ${(requests / RUNS).toFixed(2)} (the Job create; the monitor's 3 watches are shared)`,
      );
    } finally {
      await sim.stop();
    }
  }

  // 2. Requests per step: a 5-step k8sJobExecutor run on real pods.
  {
    const dbUrl = new URL(instance.childEnv.BOSUN_DATABASE_URL!);
    const sim = await startKubeSim({
      jobBackoffMs: 200,
      kubelet: {
        images: { "bosun/bosun:*": { path: [path.join(REPO, "node_modules/.bin")], workingDir: REPO } },
        hostPorts: [Number(dbUrl.port)],
      },
    });
    const scratch = await mkdtemp(path.join(tmpdir(), "bosun-k8s-bench-pod-"));
    try {
      const namespaced = sim.kubelet?.networkMode === "namespaces";
      if (namespaced) dbUrl.hostname = "host.kube-sim.internal";
      const podKubeconfig = path.join(scratch, "kubeconfig");
      const { writeFile } = await import("node:fs/promises");
      await writeFile(podKubeconfig, sim.podKubeconfig());
      const launcher = K8sRunLauncher.fromConfig(
        {
          kubeconfig_file: sim.kubeconfigPath,
          image: "bosun/bosun:bench",
          env_vars: [`KUBECONFIG=${podKubeconfig}`, `BOSUN_DATABASE_URL=${dbUrl}`],
          volumes: [{ name: "home", emptyDir: {} }],
          volume_mounts: [{ name: "home", mountPath: "/opt/bosun/bosun_home" }],
        },
        { log: () => {} },
      );
      launcher.observe(IGNORING_OBSERVER);
      const definitions = await loadDefinitions({ file: FIXTURE });
      const runRequests = new RunRequests({
        storage: instance.storage,
        locations: inProcessLocation(definitions, { file: FIXTURE }),
      });
      const run = await runRequests.launch({
        jobName: "fan_out_job",
        status: "NOT_STARTED",
      });
      await launcher.monitor?.watchNamespace("default");
      const before = sim.requestCount();
      const started = performance.now();
      await instance.storage.runs.mergeLauncherInfo(run.runId, await launcher.launch(run, location()));
      let status = run.status;
      while (!["SUCCESS", "FAILURE", "CANCELED"].includes(status)) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        status = (await instance.storage.runs.getRun(run.runId))!.status;
      }
      const seconds = (performance.now() - started) / 1000;
      const requests = sim.requestCount() - before;
      const steps = 5;
      console.log(`k8sJobExecutor run (${steps} steps): ${status} in ${seconds.toFixed(1)} s`);
      console.log(
        `  Kubernetes API requests during the run: ${requests} (${((requests - 1) / steps).toFixed(1)} per step, launcher's create excluded)`,
      );
      if (status !== "SUCCESS") {
        for (const event of await instance.storage.events.getEvents(run.runId))
          console.log(
            `  ${event.type}${event.stepKey ? `[${event.stepKey}]` : ""}: ${event.message.slice(0, 300)}`,
          );
      }
      await launcher.close();
    } finally {
      await sim.stop();
      await rm(scratch, { recursive: true, force: true });
    }
  }
} finally {
  await instance.close();
  await rm(home, { recursive: true, force: true });
}
