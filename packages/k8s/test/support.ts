/**
 * Shared set-up of the Kubernetes end-to-end suites: a kube-sim whose `bosun/bosun:*` image runs this
 * checkout's `bosun` command, a test database reached by pods as `host.kube-sim.internal`, an instance
 * ConfigMap with bosun.yaml pointing there, and a launcher config that gives every pod a private
 * BOSUN_HOME (an emptyDir).
 */

import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { RunRecord, RunStatus, StoredEvent } from "@bosun/core";
import { type KubeSim, startKubeSim } from "@bosun/kube-sim";
import type { BosunStorage } from "@bosun/storage";
import { BOSUN_COMMAND, createTestStorage, type TestStorage, waitFor } from "@bosun/test-support";
import * as k8s from "@kubernetes/client-node";
import { stringify } from "yaml";

export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const FIXTURE = fileURLToPath(new URL("./fixtures/k8s-location.ts", import.meta.url));
export const IMAGE = "bosun/bosun:test";
export const INSTANCE_CONFIG_MAP = "bosun-instance";

export interface K8sTestEnv {
  readonly sim: KubeSim;
  readonly db: TestStorage;
  readonly namespace: string;
  readonly core: k8s.CoreV1Api;
  readonly batch: k8s.BatchV1Api;
  /** Kubeconfig that pods use to reach the API server (`kubernetes.default`). */
  readonly podKubeconfig: string;
  /** The database URL as pods see it. */
  readonly podDatabaseUrl: string;
  /** A launcher config (raw, as in bosun.yaml) with the test's settings, plus `extra`. */
  launcherConfig(extra?: Record<string, unknown>): Record<string, unknown>;
  stop(): Promise<void>;
}

/** Starts kube-sim, a database and a namespace holding the instance ConfigMap. */
export async function startK8sTestEnv(prefix: string): Promise<K8sTestEnv> {
  const db = await createTestStorage();
  const dbUrl = new URL(db.databaseUrl);
  const pgPort = Number(dbUrl.port || 5432);
  const scratch = await mkdtemp(path.join(tmpdir(), "bosun-k8s-e2e-"));
  let sim: KubeSim;
  try {
    sim = await startKubeSim({
      jobBackoffMs: 200,
      resyncMs: 100,
      bookmarkIntervalMs: 1_000,
      kubelet: {
        images: {
          [IMAGE.replace(/:.*/, ":*")]: {
            path: [path.join(REPO_ROOT, "node_modules", ".bin")],
            workingDir: REPO_ROOT,
          },
        },
        hostPorts: [pgPort],
        timing: { imagePullBackoffMs: 2_000, crashLoopBackoffMs: 1_000, volumeRetryMs: 300 },
      },
    });
  } catch (error) {
    await db.drop();
    await rm(scratch, { recursive: true, force: true });
    throw error;
  }
  const namespaced = sim.kubelet?.networkMode === "namespaces";
  const podDbUrl = new URL(db.databaseUrl);
  if (namespaced) podDbUrl.hostname = "host.kube-sim.internal";
  const podDatabaseUrl = podDbUrl.toString();
  const podKubeconfig = path.join(scratch, "pod-kubeconfig.yaml");
  await writeFile(podKubeconfig, sim.podKubeconfig());

  const kc = new k8s.KubeConfig();
  kc.loadFromFile(sim.kubeconfigPath);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const batch = kc.makeApiClient(k8s.BatchV1Api);
  const namespace = `${prefix}-${randomUUID().slice(0, 8)}`;
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  await core.createNamespacedConfigMap({
    namespace,
    body: {
      metadata: { name: INSTANCE_CONFIG_MAP },
      data: { "bosun.yaml": stringify({ storage: { postgres: { url: podDatabaseUrl } } }) },
    },
  });
  return {
    sim,
    db,
    namespace,
    core,
    batch,
    podKubeconfig,
    podDatabaseUrl,
    launcherConfig: (extra = {}) => ({
      kubeconfig_file: sim.kubeconfigPath,
      job_namespace: namespace,
      image: IMAGE,
      // Pods read the API through this kubeconfig (kube-sim serves plain HTTP, which in-cluster config refuses).
      // The database URL comes as a variable: kube-sim cannot mount the instance ConfigMap's bosun.yaml
      // (a subPath file) inside the BOSUN_HOME emptyDir ("mount point does not exist").
      env_vars: [
        `KUBECONFIG=${podKubeconfig}`,
        `BOSUN_DATABASE_URL=${podDatabaseUrl}`,
        "FROM_LAUNCHER=launcher",
      ],
      volumes: [{ name: "bosun-home", emptyDir: {} }],
      volume_mounts: [{ name: "bosun-home", mountPath: "/opt/bosun/bosun_home" }],
      labels: { "bosun.test/launcher": "yes" },
      ...extra,
    }),
    stop: async () => {
      await sim.stop();
      await db.drop();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

export { waitFor };

export async function waitForStatus(
  storage: BosunStorage,
  runId: string,
  statuses: readonly RunStatus[],
  timeoutMs = 90_000,
): Promise<RunRecord> {
  return waitFor(
    `run ${runId} to reach ${statuses.join(" or ")}`,
    async () => {
      const run = await storage.runs.getRun(runId);
      return run && statuses.includes(run.status) ? run : undefined;
    },
    timeoutMs,
  );
}

/** Events of a run as `TYPE: message` lines, for failure messages. */
export async function eventLines(storage: BosunStorage, runId: string): Promise<string> {
  const events: readonly StoredEvent[] = await storage.events.getEvents(runId);
  const first = events[0]?.timestamp ?? 0;
  return events
    .map(
      (event) =>
        `+${((event.timestamp - first) / 1000).toFixed(1)}s ${event.type}${event.stepKey ? `[${event.stepKey}]` : ""}: ${event.message}`,
    )
    .join("\n");
}

import { startWorkspace, type Workspace } from "@bosun/code-server";
import { type DaemonHandle, startDaemon } from "@bosun/daemon";
import { loadDefinitions } from "@bosun/engine";
import { parseDaemonSettings } from "@bosun/instance";
import { inProcessLocation, RunRequests } from "@bosun/runs";
import type { Definitions } from "bosun";
import { K8sRunLauncher, type K8sRunLauncherOptions } from "../src/index.ts";

export const LOCATION = "k8s_location";

export interface DaemonHarness {
  readonly env: K8sTestEnv;
  readonly workspace: Workspace;
  readonly launcher: K8sRunLauncher;
  readonly daemon: DaemonHandle;
  readonly definitions: Definitions;
  readonly logs: string[];
  /** Each `workerEnded` the launcher reported to the daemon, with whether the daemon wrote the end then. */
  readonly endings: { readonly runId: string; readonly ended: boolean }[];
  /** Queues a run of `jobName` as the API does (job tags copied onto the run). */
  queue(jobName: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * kube-sim + database + a code server for the fixture (with a container context) + an in-process
 * daemon (run queue and run monitor) whose launcher is a K8sRunLauncher.
 */
export async function startDaemonHarness(
  prefix: string,
  launcherOptions: Omit<K8sRunLauncherOptions, "config"> = {},
): Promise<DaemonHarness> {
  const env = await startK8sTestEnv(prefix);
  const home = await mkdtemp(path.join(tmpdir(), "bosun-k8s-home-"));
  const logs: string[] = [];
  const cleanup: (() => Promise<void>)[] = [
    () => env.stop(),
    () => rm(home, { recursive: true, force: true }),
  ];
  try {
    const workspace = await startWorkspace(
      { file: FIXTURE, locationName: LOCATION },
      {
        bosunCommand: BOSUN_COMMAND,
        env: {
          BOSUN_DATABASE_URL: env.db.databaseUrl,
          BOSUN_HOME: home,
          BOSUN_CONTAINER_CONTEXT: JSON.stringify({
            k8s: { env_vars: ["FROM_LOCATION=location"], labels: { "bosun.test/location": "yes" } },
          }),
        },
        log: (line) => logs.push(line),
      },
    );
    cleanup.unshift(() => workspace.close());
    const launcher = K8sRunLauncher.fromConfig(env.launcherConfig(), {
      log: (level, message) => logs.push(`${level} ${message}`),
      ...launcherOptions,
    });
    cleanup.unshift(() => launcher.close());
    // Records the endings the launcher reports to the daemon's run monitor (which writes them).
    const endings: { runId: string; ended: boolean }[] = [];
    const observe = launcher.observe.bind(launcher);
    launcher.observe = (observer) =>
      observe({
        warning: (runId, message, detail) => observer.warning(runId, message, detail),
        launcherInfoChanged: (runId, info) => observer.launcherInfoChanged(runId, info),
        workerEnded: async (runId, describe) => {
          const ended = await observer.workerEnded(runId, describe);
          endings.push({ runId, ended });
          return ended;
        },
      });
    const daemon = await startDaemon({
      instance: {
        storage: env.db.storage,
        daemon: parseDaemonSettings({
          run_coordinator: { dequeue_interval_seconds: 1 },
          run_monitoring: { poll_interval_seconds: 5, start_timeout_seconds: 180 },
        }),
      },
      workspace,
      launcher,
      loops: ["RUN_QUEUE", "RUN_MONITOR"],
      log: (level, message) => logs.push(`daemon ${level} ${message}`),
    });
    cleanup.unshift(() => daemon.stop());
    const definitions = await loadDefinitions({ file: FIXTURE });
    const requests = new RunRequests({
      storage: env.db.storage,
      locations: inProcessLocation(definitions, { file: FIXTURE }),
    });
    return {
      env,
      workspace,
      launcher,
      daemon,
      definitions,
      logs,
      endings,
      queue: async (jobName) =>
        (await requests.launch({ location: LOCATION, jobName, status: "QUEUED" })).runId,
      stop: async () => {
        for (const step of cleanup) await step().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const step of cleanup) await step().catch(() => undefined);
    throw error;
  }
}
