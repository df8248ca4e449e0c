/**
 * A kube-sim cluster for installing the chart end to end: the chart's Bosun and example-code images run
 * this checkout's `bosun` command, the PostgreSQL image runs the machine's PostgreSQL (the in-chart
 * server through postgres-image.sh, and `pg_isready` in the wait-for-database init containers), and a
 * test database is reached by pods as `host.kube-sim.internal`.
 * The approach follows `packages/k8s/test/support.ts`: same image mapping, same database reachability.
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { ensureK8sTools, type KubeSim, startKubeSim } from "@bosun/kube-sim";
import { createTestStorage, type TestStorage, waitFor } from "@bosun/test-support";
import * as k8s from "@kubernetes/client-node";
import { CHARTS_DIR } from "./render.ts";

const exec = promisify(execFile);

export const REPO_ROOT = path.resolve(CHARTS_DIR, "..");
export const BOSUN_IMAGE = { repository: "bosun/bosun", tag: "e2e" };
export const CODE_IMAGE = { repository: "bosun/example-code", tag: "e2e" };
/** An image whose container runs `node` from this checkout: the "curl pod" tests call Services from. */
export const CLIENT_IMAGE = "bosun/api-client:e2e";
/** Where the daemon pod finds the kubeconfig the K8sRunLauncher uses (a ConfigMap volume). */
export const POD_KUBECONFIG_DIR = "/etc/bosun-sim-kube";
export const POD_KUBECONFIG_CONFIG_MAP = "sim-kubeconfig";
export const DB_SECRET = "bosun-test-db";

export interface ChartCluster {
  readonly sim: KubeSim;
  readonly db: TestStorage;
  readonly namespace: string;
  readonly core: k8s.CoreV1Api;
  readonly apps: k8s.AppsV1Api;
  readonly batch: k8s.BatchV1Api;
  /** The database as the chart's `postgresql` values describe it (host seen from pods). */
  readonly postgresql: { host: string; port: number; username: string; database: string };
  helm(args: readonly string[]): Promise<string>;
  kubectl(args: readonly string[]): Promise<string>;
  stop(): Promise<void>;
}

/** The newest PostgreSQL server binaries Debian's `postgresql` package installed. */
function postgresBinDir(): string {
  const root = "/usr/lib/postgresql";
  let versions: string[] = [];
  try {
    versions = readdirSync(root).filter((v) => /^\d+$/.test(v));
  } catch {
    // none installed
  }
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest)
    throw new Error(`no PostgreSQL server under ${root}: apt-get install postgresql (.ci/run does)`);
  return path.join(root, newest, "bin");
}

/** Starts kube-sim and a test database, and creates a namespace holding the database Secret and the pods' kubeconfig. */
export async function startChartCluster(prefix: string): Promise<ChartCluster> {
  const tools = await ensureK8sTools();
  const db = await createTestStorage();
  const url = new URL(db.databaseUrl);
  const port = Number(url.port || 5432);
  const bin = path.join(REPO_ROOT, "node_modules", ".bin");
  const bosun = { entrypoint: ["bosun"], path: [bin], workingDir: REPO_ROOT };
  let sim: KubeSim;
  try {
    sim = await startKubeSim({
      jobBackoffMs: 200,
      resyncMs: 100,
      bookmarkIntervalMs: 1_000,
      kubelet: {
        network: "namespaces",
        images: {
          [`${BOSUN_IMAGE.repository}:*`]: bosun,
          [`${CODE_IMAGE.repository}:*`]: bosun,
          "docker.io/library/postgres:*": {
            entrypoint: [path.join(CHARTS_DIR, "test", "support", "postgres-image.sh")],
            path: [postgresBinDir(), "/usr/bin", "/bin"],
            // The postgres image's STOPSIGNAL: a fast shutdown that does not wait for clients to leave.
            stopSignal: "SIGINT",
          },
          [CLIENT_IMAGE]: { path: [bin], workingDir: REPO_ROOT },
        },
        hostPorts: [port],
        timing: { imagePullBackoffMs: 2_000, crashLoopBackoffMs: 1_000, volumeRetryMs: 300 },
      },
    });
  } catch (error) {
    await db.drop();
    throw error;
  }
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(sim.kubeconfigPath);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const namespace = `${prefix}-${randomUUID().slice(0, 8)}`;
  const env = {
    ...process.env,
    KUBECONFIG: sim.kubeconfigPath,
    HELM_CACHE_HOME: path.join(sim.workDir, "helm-cache"),
  };
  const run = async (binary: string, args: readonly string[]) => {
    try {
      return (await exec(binary, [...args], { env, maxBuffer: 64 * 1024 * 1024 })).stdout;
    } catch (error) {
      const failed = error as { stderr?: string; stdout?: string };
      throw new Error(
        `${path.basename(binary)} ${args.join(" ")} failed:\n${failed.stderr ?? ""}${failed.stdout ?? ""}`,
      );
    }
  };
  const cluster: ChartCluster = {
    sim,
    db,
    namespace,
    core,
    apps: kc.makeApiClient(k8s.AppsV1Api),
    batch: kc.makeApiClient(k8s.BatchV1Api),
    postgresql: {
      host: "host.kube-sim.internal",
      port,
      username: decodeURIComponent(url.username),
      database: url.pathname.replace(/^\//, ""),
    },
    helm: (args) => run(tools.helm, args),
    kubectl: (args) => run(tools.kubectl, args),
    stop: async () => {
      await sim.stop().catch(() => undefined);
      await db.drop();
    },
  };
  try {
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await core.createNamespacedSecret({
      namespace,
      body: {
        metadata: { name: DB_SECRET },
        stringData: { "postgresql-password": decodeURIComponent(url.password) },
      },
    });
    // kube-sim serves plain HTTP, which in-cluster config refuses: the launcher reads this kubeconfig instead.
    await core.createNamespacedConfigMap({
      namespace,
      body: {
        metadata: { name: POD_KUBECONFIG_CONFIG_MAP },
        data: {
          config: sim.podKubeconfig(namespace),
        },
      },
    });
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

/**
 * Calls a URL from inside the cluster, as `kubectl run curl` would: a pod of CLIENT_IMAGE fetches it and
 * prints `status` and body; the pod is deleted afterwards. `token` goes in `Authorization: Bearer`.
 */
export async function fetchInCluster(
  cluster: ChartCluster,
  url: string,
  init: { method?: string; body?: unknown; token?: string } = {},
): Promise<{ status: number; body: unknown }> {
  const name = `api-client-${randomUUID().slice(0, 8)}`;
  const script = [
    "const [url, method, body, token] = process.argv.slice(1);",
    "const headers = { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: 'Bearer ' + token } : {}) };",
    "const init = { method, headers, body: body || undefined };",
    "const res = await fetch(url, init);",
    "console.log(JSON.stringify({ status: res.status, body: await res.text() }));",
  ].join("\n");
  await cluster.core.createNamespacedPod({
    namespace: cluster.namespace,
    body: {
      metadata: { name },
      spec: {
        restartPolicy: "Never",
        containers: [
          {
            name: "client",
            image: CLIENT_IMAGE,
            command: [
              "node",
              "--input-type=module",
              "-e",
              script,
              url,
              init.method ?? "GET",
              init.body === undefined ? "" : JSON.stringify(init.body),
              init.token ?? "",
            ],
          },
        ],
      },
    },
  });
  try {
    const phase = await waitFor(`pod ${name} to finish`, async () => {
      const pod = await cluster.core.readNamespacedPod({ name, namespace: cluster.namespace });
      const p = pod.status?.phase;
      return p === "Succeeded" || p === "Failed" ? p : undefined;
    });
    const log = await cluster.core.readNamespacedPodLog({ name, namespace: cluster.namespace });
    if (phase !== "Succeeded") throw new Error(`in-cluster fetch of ${url} failed:\n${log}`);
    const line = JSON.parse(log.trim().split("\n").at(-1) ?? "{}") as { status: number; body: string };
    let body: unknown = line.body;
    try {
      body = JSON.parse(line.body);
    } catch {
      // not JSON: keep the text
    }
    return { status: line.status, body };
  } finally {
    await cluster.core
      .deleteNamespacedPod({ name, namespace: cluster.namespace, gracePeriodSeconds: 0 })
      .catch(() => undefined);
  }
}

export { waitFor };
