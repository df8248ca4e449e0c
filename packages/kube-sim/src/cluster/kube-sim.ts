import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ApiServer } from "../apiserver/api-server.ts";
import { kubeconfigYaml, writeKubeconfig } from "../apiserver/kubeconfig.ts";
import { Registry } from "../apiserver/registry.ts";
import { EventRecorder, startControllers } from "../controllers/index.ts";
import { Kubelet, type KubeletOptions } from "../kubelet/kubelet.ts";
import { ObjectStore } from "../store/object-store.ts";

/** Options of `startKubeSim`. */
export interface KubeSimOptions {
  /** Port for the API server on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** Where to write the kubeconfig; defaults to a file in the sim's temp directory. */
  readonly kubeconfigPath?: string;
  /** Bearer token; random by default. */
  readonly token?: string;
  /**
   * The kubelet that runs pods as local processes; `false` runs the control plane only (pods
   * then stay Pending: no node is registered).
   */
  readonly kubelet?: false | Omit<KubeletOptions, "registry" | "events" | "workDir" | "apiServer">;
  /** First Job back-off delay (Kubernetes uses 10 s; tests usually want less). */
  readonly jobBackoffMs?: number;
  /** Controller resync period; default 200 ms. */
  readonly resyncMs?: number;
  /** Interval between BOOKMARK events on watches that allow them; default 5 s. */
  readonly bookmarkIntervalMs?: number;
  /** Number of change events kept for watches to resume from (older versions get 410 Gone); default 50 000. */
  readonly watchHistory?: number;
  /** Called when a controller throws; defaults to printing to stderr. */
  readonly onControllerError?: (controller: string, key: string, error: unknown) => void;
}

/** A running simulated cluster: its API server's URL, credentials and kubeconfig, and `stop`. */
export interface KubeSim {
  /** Base URL of the API server (`http://127.0.0.1:<port>`). */
  readonly server: string;
  readonly kubeconfigPath: string;
  readonly token: string;
  /** The sim's scratch directory (pod volumes, logs). */
  readonly workDir: string;
  readonly registry: Registry;
  readonly kubelet: Kubelet | undefined;
  /** Number of HTTP requests served so far. */
  requestCount(): number;
  /**
   * A kubeconfig (YAML) for programs inside pods: the API server as pods reach it (the `kubernetes`
   * Service in namespaces mode, else this machine's address) and the sim's token. Pods use it instead
   * of in-cluster config because the sim serves plain HTTP.
   */
  podKubeconfig(namespace?: string): string;
  /** Stops pods, controllers and the server and removes the scratch directory. */
  stop(): Promise<void>;
}

/**
 * Starts a kube-sim: API server, controllers and (by default) a kubelet running pods as local
 * processes. Returns once the API answers.
 *
 * @example
 * const sim = await startKubeSim({ kubelet: { images: { "busybox:*": [] } } });
 * const kc = new KubeConfig();
 * kc.loadFromFile(sim.kubeconfigPath);
 * // ... use the official client, kubectl or helm with KUBECONFIG=sim.kubeconfigPath
 * await sim.stop();
 */
export async function startKubeSim(options: KubeSimOptions = {}): Promise<KubeSim> {
  const workDir = await mkdtemp(path.join(tmpdir(), "kube-sim-"));
  const token = options.token ?? randomBytes(24).toString("hex");
  const store = new ObjectStore(options.watchHistory);
  const registry = new Registry(store);
  const events = new EventRecorder(registry);
  for (const name of ["default", "kube-system", "kube-public", "kube-node-lease"])
    registry.create(registry.type("v1", "Namespace"), undefined, { metadata: { name } });
  registry.create(registry.type("v1", "Service"), "default", {
    metadata: { name: "kubernetes", labels: { component: "apiserver", provider: "kubernetes" } },
    spec: {
      clusterIP: "10.96.0.1",
      ports: [{ name: "https", port: 443, targetPort: 6443, protocol: "TCP" }],
    },
  });
  const controllers = startControllers(
    registry,
    events,
    { jobBackoffMs: options.jobBackoffMs ?? 10_000, resyncMs: options.resyncMs ?? 200 },
    options.onControllerError ??
      ((controller, key, error) =>
        console.error(`kube-sim: controller ${controller} failed on ${key}:`, error)),
  );
  let kubelet: Kubelet | undefined;
  const api = new ApiServer({
    registry,
    token,
    bookmarkIntervalMs: options.bookmarkIntervalMs,
    logs: {
      streamLogs: (...args) =>
        kubelet ? kubelet.streamLogs(...args) : Promise.reject(new Error("no kubelet")),
    },
  });
  let server: string;
  try {
    server = await api.listen(options.port ?? 0);
  } catch (error) {
    controllers.stop();
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
  const kubeconfigPath = options.kubeconfigPath ?? path.join(workDir, "kubeconfig");
  await writeKubeconfig(kubeconfigPath, server, token);
  if (options.kubelet !== false) {
    kubelet = new Kubelet({
      ...(options.kubelet ?? {}),
      registry,
      events,
      workDir: path.join(workDir, "kubelet"),
      apiServer: { api, token },
    });
    try {
      await kubelet.start();
    } catch (error) {
      controllers.stop();
      await api.close();
      await rm(workDir, { recursive: true, force: true });
      throw error;
    }
  }
  let stopped = false;
  return {
    server,
    kubeconfigPath,
    token,
    workDir,
    registry,
    kubelet,
    requestCount: () => api.requests.total,
    podKubeconfig: (namespace) =>
      kubeconfigYaml(
        kubelet?.networkMode === "namespaces" ? "http://kubernetes.default.svc:443" : server,
        token,
        namespace,
      ),
    async stop() {
      if (stopped) return;
      stopped = true;
      controllers.stop();
      await kubelet?.stop();
      await api.close();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
