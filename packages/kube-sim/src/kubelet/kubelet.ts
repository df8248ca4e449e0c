import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readdirSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import type { Server } from "node:net";
import os from "node:os";
import path from "node:path";
import { ApiError } from "../apiserver/api-error.ts";
import type { ApiServer } from "../apiserver/api-server.ts";
import type { PodLogOptions } from "../apiserver/pod-logs.ts";
import type { Registry } from "../apiserver/registry.ts";
import type { EventRecorder } from "../controllers/event-recorder.ts";
import type { KObject } from "../store/k8s-object.ts";
import type { StoreEvent } from "../store/object-store.ts";
import { hostsFile } from "./hosts-file.ts";
import { type ImageMap, ImageResolver } from "./image-map.ts";
import { type MemoryCgroups, memoryCgroups } from "./memory-cgroup.ts";
import { HostNetwork } from "./network/host-network.ts";
import { NamespaceNetwork, namespaceSupport } from "./network/namespace-network.ts";
import type { PodNetwork } from "./network/pod-network.ts";
import { ServiceProxy } from "./network/service-proxy.ts";
import { type KubeletTiming, PodWorker, type WorkerContext } from "./pod-worker.ts";

/**
 * The kubelet of the single simulated node: registers the Node, runs the pods the scheduler
 * binds to it through PodWorkers, serves their logs, and keeps Service routing and the pods'
 * hosts files current.
 */
type Any = Record<string, any>;

export interface KubeletOptions {
  readonly registry: Registry;
  readonly events: EventRecorder;
  readonly workDir: string;
  readonly apiServer: { readonly api: ApiServer; readonly token: string };
  /** Image pattern → local program (see `ImageMap`). */
  readonly images?: ImageMap;
  readonly nodeName?: string;
  readonly nodeLabels?: Readonly<Record<string, string>>;
  readonly taints?: readonly {
    key: string;
    value?: string;
    effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
  }[];
  /**
   * `namespaces` (per-pod network and mount namespaces; needs root), `host` (plain processes),
   * or `auto` (default): namespaces when possible, otherwise host with a printed reason.
   */
  readonly network?: "auto" | "namespaces" | "host";
  /** Ports on this machine's 127.0.0.1 that pods reach as `host.kube-sim.internal:<port>`. */
  readonly hostPorts?: readonly number[];
  readonly timing?: Partial<KubeletTiming>;
  readonly clusterDomain?: string;
}

export class Kubelet {
  readonly nodeName: string;
  private readonly images: ImageResolver;
  private readonly workers = new Map<string, PodWorker>();
  private network!: PodNetwork;
  private proxy!: ServiceProxy;
  private cgroups!: MemoryCgroups;
  private unsubscribe: (() => void) | undefined;
  private unixServer: Server | undefined;
  private readonly createdPaths: string[] = [];
  private syncTimer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> = Promise.resolve();
  private readonly terminations = new Set<Promise<void>>();
  private stopped = false;
  /** Why pods run without namespaces, when they do. */
  networkNote = "";
  private readonly setpriv = findProgram("setpriv");

  constructor(private readonly options: KubeletOptions) {
    this.nodeName = options.nodeName ?? "kube-sim-node";
    this.images = new ImageResolver(options.images ?? {});
  }

  get networkMode(): "namespaces" | "host" {
    return this.network.mode;
  }

  private get registry(): Registry {
    return this.options.registry;
  }

  async start(): Promise<void> {
    await mkdir(this.options.workDir, { recursive: true });
    const wanted = this.options.network ?? "auto";
    let useNamespaces = false;
    if (wanted !== "host") {
      const support = await namespaceSupport();
      if (support.ok) useNamespaces = true;
      else if (wanted === "namespaces")
        throw new Error(`kube-sim: pod namespaces requested but unavailable: ${support.reason}`);
      else
        this.networkNote = `pods run as plain processes without network or mount namespaces: ${support.reason}`;
    }
    if (useNamespaces) {
      const socket = path.join(this.options.workDir, "api.sock");
      this.unixServer = await this.options.apiServer.api.listenUnix(socket);
      this.network = new NamespaceNetwork(this.options.workDir, socket, this.options.hostPorts ?? []);
    } else {
      this.network = new HostNetwork(this.options.apiServer.api.port);
    }
    await this.network.start();
    this.proxy = new ServiceProxy(this.network);
    this.cgroups = memoryCgroups(
      `kube-sim-${process.pid}-${path.basename(path.dirname(this.options.workDir))}`,
    );
    this.registerNode();
    this.unsubscribe = this.registry.store.subscribe((event) => this.onEvent(event));
    for (const pod of this.registry.store.scan(this.registry.type("v1", "Pod"))) this.onPod(pod, "ADDED");
    this.scheduleSync();
  }

  private registerNode(): void {
    const hostIP = this.network.hostIP;
    const memory = os.totalmem();
    const capacity = {
      cpu: String(os.cpus().length),
      memory: `${Math.floor(memory / 1024)}Ki`,
      pods: "110",
      "ephemeral-storage": "100Gi",
    };
    const timestamp = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    const nodeType = this.registry.type("v1", "Node");
    const node = this.registry.create(nodeType, undefined, {
      metadata: {
        name: this.nodeName,
        labels: {
          "kubernetes.io/hostname": this.nodeName,
          "kubernetes.io/os": "linux",
          "kubernetes.io/arch": "amd64",
          "beta.kubernetes.io/os": "linux",
          "beta.kubernetes.io/arch": "amd64",
          "node.kubernetes.io/instance-type": "kube-sim",
          ...(this.options.nodeLabels ?? {}),
        },
      },
      spec: {
        ...(this.options.taints && this.options.taints.length > 0 ? { taints: this.options.taints } : {}),
      },
    });
    this.registry.update(
      nodeType,
      undefined,
      this.nodeName,
      {
        ...node,
        status: {
          capacity,
          allocatable: capacity,
          addresses: [
            { type: "InternalIP", address: hostIP },
            { type: "Hostname", address: this.nodeName },
          ],
          conditions: [
            {
              type: "Ready",
              status: "True",
              reason: "KubeletReady",
              message: "kubelet is posting ready status",
              lastHeartbeatTime: timestamp,
              lastTransitionTime: timestamp,
            },
          ],
          nodeInfo: {
            kubeletVersion: "v1.33.0+kube-sim",
            kubeProxyVersion: "v1.33.0+kube-sim",
            containerRuntimeVersion: `kube-sim://${this.network.mode}`,
            operatingSystem: "linux",
            architecture: "amd64",
            osImage: "kube-sim",
            kernelVersion: os.release(),
            machineID: "",
            systemUUID: "",
            bootID: "",
          },
        },
      },
      "status",
    );
  }

  private onEvent(event: StoreEvent): void {
    if (this.stopped) return;
    const kind = event.resource.kind;
    if (kind === "Pod") this.onPod(event.object, event.type);
    if (kind === "Service" || kind === "Endpoints") this.scheduleSync();
  }

  private onPod(pod: KObject, type: StoreEvent["type"]): void {
    if (pod.spec?.nodeName !== this.nodeName) return;
    const uid = pod.metadata.uid!;
    const worker = this.workers.get(uid);
    if (type === "DELETED") {
      if (worker) this.track(this.finish(worker, 2, false));
      return;
    }
    if (pod.metadata.deletionTimestamp) {
      if (worker) this.track(this.finish(worker, pod.metadata.deletionGracePeriodSeconds ?? 30, true));
      else
        this.registry.finalizeDeletion(
          this.registry.type("v1", "Pod"),
          pod.metadata.namespace,
          pod.metadata.name!,
        );
      return;
    }
    const phase = pod.status?.phase;
    if (!worker && phase !== "Succeeded" && phase !== "Failed") {
      const created = new PodWorker(this.workerContext(), pod);
      this.workers.set(uid, created);
      created.start();
    }
  }

  private track(termination: Promise<void>): void {
    this.terminations.add(termination);
    void termination.finally(() => this.terminations.delete(termination));
  }

  private finishing = new Set<string>();

  private async finish(worker: PodWorker, grace: number, removeObject: boolean): Promise<void> {
    if (this.finishing.has(worker.uid)) return;
    this.finishing.add(worker.uid);
    await worker.terminate(grace);
    if (removeObject)
      this.registry.finalizeDeletion(this.registry.type("v1", "Pod"), worker.namespace, worker.name);
    await worker.removeFiles();
    this.workers.delete(worker.uid);
    this.finishing.delete(worker.uid);
  }

  private workerContext(): WorkerContext {
    return {
      registry: this.registry,
      events: this.options.events,
      images: this.images,
      network: this.network,
      cgroups: this.cgroups,
      nodeName: this.nodeName,
      podsDir: path.join(this.options.workDir, "pods"),
      claimsDir: path.join(this.options.workDir, "claims"),
      token: this.options.apiServer.token,
      basePath: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
      setpriv: this.setpriv,
      imageUid: process.getuid?.() ?? 0,
      timing: {
        imagePullBackoffMs: this.options.timing?.imagePullBackoffMs ?? 10_000,
        crashLoopBackoffMs: this.options.timing?.crashLoopBackoffMs ?? 10_000,
        volumeRetryMs: this.options.timing?.volumeRetryMs ?? 2_000,
      },
      hostsFile: (pod, podIP) => this.hostsFor(pod, podIP),
      prepareMountTarget: (target, isFile) => this.prepareMountTarget(target, isFile),
      workerDone: () => undefined,
    };
  }

  private hostsFor(pod: KObject, podIP: string): string {
    const extra =
      (this.options.hostPorts ?? []).length > 0
        ? [{ ip: this.network.hostIP, names: ["host.kube-sim.internal"] }]
        : [];
    return hostsFile(pod, podIP, {
      services: this.registry.store.scan(this.registry.type("v1", "Service")),
      endpoints: this.registry.store.scan(this.registry.type("v1", "Endpoints")),
      domain: this.options.clusterDomain ?? "cluster.local",
      extra,
    });
  }

  /** Creates a missing mount point (directory or file) on this machine, remembering it for removal. */
  private prepareMountTarget(target: string, isFile: boolean): void {
    if (existsSync(target)) return;
    let top = target;
    while (!existsSync(path.dirname(top))) top = path.dirname(top);
    if (isFile) {
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, "");
    } else mkdirSync(target, { recursive: true });
    this.createdPaths.push(top);
  }

  private scheduleSync(): void {
    if (this.syncTimer || this.stopped) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = undefined;
      this.syncing = this.syncing
        .then(() => this.sync())
        .catch((error: unknown) => console.error("kube-sim: service sync failed:", error));
    }, 20);
  }

  private async sync(): Promise<void> {
    if (this.stopped) return;
    const services = this.registry.store.scan(this.registry.type("v1", "Service"));
    const endpoints = this.registry.store.scan(this.registry.type("v1", "Endpoints"));
    await this.proxy.sync(services, endpoints);
    for (const worker of this.workers.values()) {
      const file = worker.hostsFilePath;
      const pod = this.registry.store.peek(this.registry.type("v1", "Pod"), worker.namespace, worker.name);
      if (!file || !pod || !worker.ip) continue;
      // Rewrite in place (same inode) so the bind mount over /etc/hosts sees the change.
      await writeFile(file, this.hostsFor(pod, worker.ip)).catch(() => undefined);
    }
  }

  async streamLogs(
    namespace: string,
    podName: string,
    options: PodLogOptions,
    write: (chunk: Buffer) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const pod = this.registry.get(this.registry.type("v1", "Pod"), namespace, podName) as Any;
    const worker = this.workers.get(pod.metadata.uid);
    const names: string[] = ((pod.spec.containers ?? []) as Any[]).map((c) => c.name);
    const all: string[] = [...((pod.spec.initContainers ?? []) as Any[]).map((c) => c.name), ...names];
    let container = options.container;
    if (!container) {
      if (names.length !== 1)
        throw ApiError.badRequest(
          `a container name must be specified for pod ${podName}, choose one of: [${names.join(" ")}]`,
        );
      container = names[0]!;
    }
    if (!all.includes(container))
      throw ApiError.badRequest(`container ${container} is not valid for pod ${podName}`);
    if (!worker) {
      if (pod.spec.nodeName)
        throw ApiError.badRequest(
          `container "${container}" in pod "${podName}" has no logs on this node any more`,
        );
      throw ApiError.badRequest(
        `container "${container}" in pod "${podName}" is waiting to start: ContainerCreating`,
      );
    }
    const buffer = worker.logBuffer(container, options.previous);
    if (buffer === "no-previous")
      throw ApiError.badRequest(`previous terminated container "${container}" in pod "${podName}" not found`);
    if (buffer === "not-started" || buffer === undefined) {
      const reason = worker.waitingReason(container) ?? "ContainerCreating";
      const detail =
        reason === "ImagePullBackOff" || reason === "ErrImagePull"
          ? "trying and failing to pull image"
          : reason;
      throw ApiError.badRequest(
        `container "${container}" in pod "${podName}" is waiting to start: ${detail}`,
      );
    }
    const since = options.sinceSeconds !== undefined ? Date.now() - options.sinceSeconds * 1000 : undefined;
    let remaining = options.limitBytes ?? Number.POSITIVE_INFINITY;
    const emit = (time: string, text: string) => {
      if (remaining <= 0) return;
      let out = options.timestamps ? `${time} ${text}` : text;
      if (Buffer.byteLength(out) > remaining) out = Buffer.from(out).subarray(0, remaining).toString("utf8");
      remaining -= Buffer.byteLength(out);
      write(Buffer.from(out));
    };
    let lines = buffer.lines();
    if (since !== undefined) lines = lines.filter((l) => Date.parse(l.time) >= since);
    if (options.tailLines !== undefined) lines = lines.slice(Math.max(0, lines.length - options.tailLines));
    for (const l of lines) emit(l.time, l.line);
    if (!options.follow || buffer.isEnded) return;
    await new Promise<void>((resolve) => {
      const stop = buffer.follow((chunk) => {
        if (chunk === null) {
          resolve();
          return;
        }
        emit(chunk.time, chunk.data.toString("utf8"));
      });
      signal.addEventListener("abort", () => {
        stop();
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe?.();
    if (this.syncTimer) clearTimeout(this.syncTimer);
    await this.syncing;
    await Promise.all([...this.workers.values()].map((w) => w.terminate(1).then(() => w.removeFiles())));
    await Promise.all([...this.terminations]);
    this.workers.clear();
    await this.network.stop();
    this.cgroups.removeAll();
    this.unixServer?.close();
    for (const p of this.createdPaths.reverse()) {
      try {
        if (statSync(p).isDirectory()) rmdirRecursiveEmpty(p);
        else rmSync(p);
      } catch {
        // In use or not empty: leave it.
      }
    }
    await rm(this.options.workDir, { recursive: true, force: true });
  }
}

/** The absolute path of an executable on PATH (or in the usual system directories), if any. */
function findProgram(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(":"), "/usr/bin", "/bin", "/usr/sbin", "/sbin"];
  for (const dir of dirs.filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** Removes a directory tree consisting only of empty directories. */
function rmdirRecursiveEmpty(dir: string): void {
  for (const entry of readdirSync(dir)) {
    const child = path.join(dir, entry);
    if (statSync(child).isDirectory()) rmdirRecursiveEmpty(child);
  }
  rmdirSync(dir);
}
