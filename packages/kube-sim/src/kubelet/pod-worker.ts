import type { ChildProcess } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { chmod, mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Registry } from "../apiserver/registry.ts";
import type { EventRecorder } from "../controllers/event-recorder.ts";
import { clone, type KObject, now } from "../store/k8s-object.ts";
import { parseQuantity } from "../validation/names.ts";
import { launchContainer, type Mount } from "./container-launcher.ts";
import { ContainerConfigError, containerEnv, expand } from "./env.ts";
import type { ImageResolver, ImageSpec } from "./image-map.ts";
import { LogBuffer } from "./log-buffer.ts";
import type { MemoryCgroups } from "./memory-cgroup.ts";
import type { PodNetwork } from "./network/pod-network.ts";
import { runProbe } from "./probes.ts";
import { machineMounts } from "./root-filesystem.ts";
import {
  accountFiles,
  effectiveSecurityContext,
  nonRootViolation,
  parsePasswd,
  processIdentity,
  setprivArgv,
} from "./security-context.ts";
import { type MaterialisedVolumes, materialiseVolumes, VolumeError } from "./volumes.ts";

/**
 * Runs one pod. States, in order:
 *  - Pending/ContainerCreating: network set up, images resolved through the image map (an
 *    unmapped image cycles ErrImagePull → ImagePullBackOff with growing back-off, for ever,
 *    like a kubelet that cannot pull), volumes materialised (retried while a referenced
 *    ConfigMap/Secret/claim is missing, with FailedMount events);
 *  - each container start: securityContext checked (runAsNonRoot violations wait as
 *    CreateContainerConfigError, a missing setpriv as CreateContainerError, both retried);
 *  - init containers one after another, each to a zero exit;
 *  - Running: every container runs as a process; an exited container is restarted according
 *    to `restartPolicy`, after a CrashLoopBackOff delay;
 *  - Succeeded/Failed once no container runs or will be restarted;
 *  - terminating (pod deleted): SIGTERM to every process group, SIGKILL after the grace
 *    period, then the pod object is removed.
 */
type Any = Record<string, any>;

export interface KubeletTiming {
  /** First image pull back-off (kubelet: 10 s), doubling up to 5 min. */
  readonly imagePullBackoffMs: number;
  /** First crash-loop back-off (kubelet: 10 s), doubling up to 5 min. */
  readonly crashLoopBackoffMs: number;
  /** Retry period while volumes cannot be set up. */
  readonly volumeRetryMs: number;
}

export interface WorkerContext {
  readonly registry: Registry;
  readonly events: EventRecorder;
  readonly images: ImageResolver;
  readonly network: PodNetwork;
  readonly cgroups: MemoryCgroups;
  readonly nodeName: string;
  readonly podsDir: string;
  readonly claimsDir: string;
  readonly token: string;
  readonly timing: KubeletTiming;
  readonly basePath: string;
  /** Absolute path of `setpriv` (util-linux), which drops a container to its runAsUser; undefined when missing. */
  readonly setpriv: string | undefined;
  /** The uid a container runs as without runAsUser: root, or the kubelet's own uid when it is not root. */
  readonly imageUid: number;
  hostsFile(pod: KObject, podIP: string): string;
  prepareMountTarget(target: string, isFile: boolean): void;
  workerDone(uid: string): void;
}

type State =
  | { waiting: { reason: string; message?: string } }
  | { running: { startedAt: string } }
  | {
      terminated: {
        exitCode: number;
        reason: string;
        message?: string;
        signal?: number;
        startedAt: string;
        finishedAt: string;
        containerID: string;
      };
    };

interface ContainerRun {
  readonly spec: Any;
  readonly init: boolean;
  state: State;
  lastState: State | undefined;
  restartCount: number;
  process: ChildProcess | undefined;
  logs: LogBuffer | undefined;
  previousLogs: LogBuffer | undefined;
  /** Set once the container will not be started again. */
  done: boolean;
  /** Readiness probe verdict (true when there is none). */
  probeReady: boolean;
  /** Startup probe passed (true when there is none). */
  startupDone: boolean;
}

const SIGNALS: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGABRT: 6,
  SIGKILL: 9,
  SIGSEGV: 11,
  SIGPIPE: 13,
  SIGTERM: 15,
};

export class PodWorker {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  private readonly containers = new Map<string, ContainerRun>();
  private podIP: string | undefined;
  private netnsPath: string | undefined;
  private hostsPath: string | undefined;
  private resolvPath: string | undefined;
  private volumes: MaterialisedVolumes = new Map();
  private terminating = false;
  private phase: "Pending" | "Running" | "Succeeded" | "Failed" = "Pending";
  private initialized = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly wakers = new Set<() => void>();
  private finished: Promise<void> | undefined;
  private readonly podDir: string;
  private startTime = now();
  private warned = new Set<string>();

  constructor(
    private readonly ctx: WorkerContext,
    pod: KObject,
  ) {
    this.uid = pod.metadata.uid!;
    this.namespace = pod.metadata.namespace!;
    this.name = pod.metadata.name!;
    this.podDir = path.join(ctx.podsDir, this.uid);
    const spec = pod.spec as Any;
    for (const c of (spec.initContainers ?? []) as Any[]) this.containers.set(c.name, this.newRun(c, true));
    for (const c of (spec.containers ?? []) as Any[]) this.containers.set(c.name, this.newRun(c, false));
  }

  private newRun(spec: Any, init: boolean): ContainerRun {
    return {
      spec,
      init,
      state: { waiting: { reason: init ? "PodInitializing" : "ContainerCreating" } },
      lastState: undefined,
      restartCount: 0,
      process: undefined,
      logs: undefined,
      previousLogs: undefined,
      done: false,
      probeReady: false,
      startupDone: false,
    };
  }

  private pod(): Any | undefined {
    const stored = this.ctx.registry.store.peek(
      this.ctx.registry.type("v1", "Pod"),
      this.namespace,
      this.name,
    );
    return stored && stored.metadata.uid === this.uid ? (stored as Any) : undefined;
  }

  private event(type: "Normal" | "Warning", reason: string, message: string): void {
    const pod = this.pod();
    if (pod)
      this.ctx.events.record({ ...pod, apiVersion: "v1", kind: "Pod" }, type, reason, message, "kubelet");
  }

  /** Sleeps `ms` unless the pod starts terminating. */
  private sleep(ms: number): Promise<void> {
    if (this.terminating) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.timers.delete(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.timers.add(timer);
      this.wakers.add(done);
    });
  }

  start(): void {
    this.finished = this.run().catch((error: unknown) => {
      this.event("Warning", "Failed", `kube-sim kubelet error: ${(error as Error).message}`);
    });
  }

  /** The signal that asks a container to stop: its image's stop signal (as an image's STOPSIGNAL), else SIGTERM. */
  private stopSignal(c: ContainerRun): NodeJS.Signals {
    return this.ctx.images.resolve(String(c.spec.image))?.stopSignal ?? "SIGTERM";
  }

  /** Begins termination; resolves once every process is gone and the pod is cleaned up. */
  async terminate(gracePeriodSeconds: number): Promise<void> {
    if (!this.terminating) {
      this.terminating = true;
      for (const wake of [...this.wakers]) wake();
      const running = [...this.containers.values()].filter(
        (c) => c.process && c.process.exitCode === null && c.process.signalCode === null,
      );
      if (running.length > 0) {
        for (const c of running) this.event("Normal", "Killing", `Stopping container ${c.spec.name}`);
        for (const c of running) signalGroup(c.process!, this.stopSignal(c));
        const deadline = setTimeout(() => {
          for (const c of running) signalGroup(c.process!, "SIGKILL");
        }, Math.max(0, gracePeriodSeconds) * 1000);
        this.timers.add(deadline);
      }
    }
    await this.finished;
  }

  private async run(): Promise<void> {
    await mkdir(this.podDir, { recursive: true });
    const network = await this.ctx.network.setupPod(this.uid);
    this.podIP = network.podIP;
    this.netnsPath = network.netnsPath;
    this.syncStatus();
    if (await this.resolveImages()) {
      if (await this.setupVolumes()) {
        if (this.netnsPath) {
          this.hostsPath = path.join(this.podDir, "hosts");
          const pod = this.pod();
          if (pod) await writeReadable(this.hostsPath, this.ctx.hostsFile(pod as KObject, this.podIP));
          this.resolvPath = path.join(this.podDir, "resolv.conf");
          await writeReadable(
            this.resolvPath,
            `# kube-sim: Service names resolve through /etc/hosts; there is no DNS server.\nnameserver 127.0.0.1\noptions timeout:1 attempts:1\n`,
          );
        }
        const initOk = await this.runInitContainers();
        if (initOk && !this.terminating) {
          this.initialized = true;
          const mains = [...this.containers.values()].filter((c) => !c.init);
          await Promise.all(mains.map((c) => this.runContainer(c)));
        }
      }
    }
    // Mark anything never started as terminated when the pod is going away.
    for (const c of this.containers.values()) {
      if ("waiting" in c.state && this.terminating) c.done = true;
    }
    if (!this.terminating || this.phase === "Pending" || this.phase === "Running") {
      const mains = [...this.containers.values()].filter((c) => !c.init);
      const allDone = mains.every((c) => "terminated" in c.state);
      if (allDone && mains.length > 0) {
        const ok = mains.every((c) => "terminated" in c.state && c.state.terminated.exitCode === 0);
        this.phase = ok ? "Succeeded" : "Failed";
      } else if (
        !this.initialized &&
        [...this.containers.values()].some(
          (c) => c.init && "terminated" in c.state && c.state.terminated.exitCode !== 0,
        )
      ) {
        this.phase = "Failed";
      } else if (this.terminating && this.phase !== "Pending") {
        this.phase = "Failed";
      }
    }
    this.syncStatus();
    await this.cleanup();
    this.ctx.workerDone(this.uid);
  }

  private async cleanup(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.ctx.network.teardownPod(this.uid);
    for (const c of this.containers.values()) {
      for (let i = 0; i <= c.restartCount; i++) this.ctx.cgroups.remove(this.cgroupName(c, i));
    }
  }

  /**
   * Removes the pod's scratch files (volumes); logs stay in memory until the worker is dropped. A
   * process still exiting can add a file while the tree is removed (ENOTEMPTY), so removal is retried;
   * a failure is reported as a pod event rather than thrown, as a kubelet keeps going.
   */
  async removeFiles(): Promise<void> {
    try {
      await rm(this.podDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch (error) {
      this.event("Warning", "FailedCleanup", `could not remove the pod's files: ${(error as Error).message}`);
    }
  }

  private async resolveImages(): Promise<boolean> {
    let backoff = this.ctx.timing.imagePullBackoffMs;
    for (;;) {
      if (this.terminating) return false;
      const missing = [...this.containers.values()].filter(
        (c) => !this.ctx.images.resolve(String(c.spec.image)),
      );
      if (missing.length === 0) break;
      for (const c of missing) {
        const image = String(c.spec.image);
        const why = `kube-sim has no mapping for image "${image}" (image map patterns: ${this.ctx.images.patterns().join(", ") || "none"})`;
        this.event("Normal", "Pulling", `Pulling image "${image}"`);
        this.event("Warning", "Failed", `Failed to pull image "${image}": ${why}`);
        this.event("Warning", "Failed", "Error: ErrImagePull");
        c.state = { waiting: { reason: "ErrImagePull", message: why } };
      }
      this.syncStatus();
      await this.sleep(Math.min(backoff, 1000));
      if (this.terminating) return false;
      for (const c of missing) {
        const image = String(c.spec.image);
        c.state = {
          waiting: {
            reason: "ImagePullBackOff",
            message: `Back-off pulling image "${image}": ErrImagePull: kube-sim has no mapping for image "${image}"`,
          },
        };
        this.event("Normal", "BackOff", `Back-off pulling image "${image}"`);
        this.event("Warning", "Failed", "Error: ImagePullBackOff");
      }
      this.syncStatus();
      await this.sleep(backoff);
      backoff = Math.min(backoff * 2, 300_000);
    }
    for (const c of this.containers.values()) {
      this.event("Normal", "Pulled", `Container image "${c.spec.image}" already present on machine`);
    }
    return true;
  }

  private async setupVolumes(): Promise<boolean> {
    for (;;) {
      if (this.terminating) return false;
      const pod = this.pod();
      if (!pod) return false;
      try {
        const registry = this.ctx.registry;
        this.volumes = await materialiseVolumes(pod as KObject, this.podDir, {
          configMap: (ns, name) =>
            registry.store.peek(registry.type("v1", "ConfigMap"), ns, name) as Any | undefined,
          secret: (ns, name) =>
            registry.store.peek(registry.type("v1", "Secret"), ns, name) as Any | undefined,
          claim: (ns, name) => this.bindClaim(ns, name),
          token: this.ctx.token,
          claimsDir: this.ctx.claimsDir,
        });
        const mounts = [...this.containers.values()].flatMap((c) => (c.spec.volumeMounts ?? []) as Any[]);
        const userMounts = mounts.filter((m) => !String(m.name).startsWith("kube-api-access-"));
        if (!this.netnsPath && mounts.length > userMounts.length && !this.warned.has("token")) {
          this.warned.add("token");
          this.event(
            "Warning",
            "ServiceAccountTokenNotMounted",
            "kube-sim runs this pod without a mount namespace: the service account token is not mounted",
          );
        }
        if (userMounts.length > 0 && !this.netnsPath) {
          throw new VolumeError(
            "*",
            "kube-sim runs pods without mount namespaces on this machine (needs root, unshare and nsenter), so volumes cannot appear at their mountPath",
          );
        }
        return true;
      } catch (error) {
        if (!(error instanceof VolumeError)) throw error;
        this.event("Warning", "FailedMount", error.message);
        this.syncStatus();
        await this.sleep(this.ctx.timing.volumeRetryMs);
      }
    }
  }

  private bindClaim(namespace: string, name: string): Any | undefined {
    const registry = this.ctx.registry;
    const type = registry.type("v1", "PersistentVolumeClaim");
    const claim = registry.store.peek(type, namespace, name) as Any | undefined;
    if (claim && claim.status?.phase !== "Bound") {
      const updated = clone(claim);
      updated.status = {
        phase: "Bound",
        accessModes: claim.spec?.accessModes,
        capacity: claim.spec?.resources?.requests,
      };
      registry.update(type, namespace, name, updated, "status");
    }
    return claim;
  }

  private async runInitContainers(): Promise<boolean> {
    const policy = (this.pod()?.spec?.restartPolicy as string) ?? "Always";
    for (const c of [...this.containers.values()].filter((x) => x.init)) {
      let backoff = this.ctx.timing.crashLoopBackoffMs;
      for (;;) {
        if (this.terminating) return false;
        const code = await this.startAndWait(c);
        if (code === 0) break;
        if (policy === "Never" || this.terminating) {
          c.done = true;
          return false;
        }
        c.state = {
          waiting: {
            reason: "CrashLoopBackOff",
            message: `back-off ${Math.round(backoff / 1000)}s restarting failed container=${c.spec.name} pod=${this.name}_${this.namespace}(${this.uid})`,
          },
        };
        this.event("Warning", "BackOff", "Back-off restarting failed container");
        this.syncStatus();
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, 300_000);
        c.restartCount++;
      }
      c.done = true;
    }
    return true;
  }

  private async runContainer(c: ContainerRun): Promise<void> {
    const policy = (this.pod()?.spec?.restartPolicy as string) ?? "Always";
    let backoff = this.ctx.timing.crashLoopBackoffMs;
    for (;;) {
      if (this.terminating) break;
      const started = Date.now();
      const code = await this.startAndWait(c);
      if (this.terminating) break;
      const restart = policy === "Always" || (policy === "OnFailure" && code !== 0);
      if (!restart) break;
      if (Date.now() - started > 600_000) backoff = this.ctx.timing.crashLoopBackoffMs;
      c.lastState = c.state;
      c.state = {
        waiting: {
          reason: "CrashLoopBackOff",
          message: `back-off ${Math.round(backoff / 1000)}s restarting failed container=${c.spec.name} pod=${this.name}_${this.namespace}(${this.uid})`,
        },
      };
      this.event("Warning", "BackOff", "Back-off restarting failed container");
      this.syncStatus();
      await this.sleep(backoff);
      backoff = Math.min(backoff * 2, 300_000);
      if (this.terminating) {
        c.state = c.lastState!;
        break;
      }
      c.restartCount++;
    }
    c.done = true;
  }

  /** Leaves the container waiting with `reason` (and a Failed event), then tries to start it again. */
  private async retryStart(c: ContainerRun, reason: string, message: string): Promise<number> {
    c.state = { waiting: { reason, message } };
    this.event("Warning", "Failed", `Error: ${message}`);
    this.syncStatus();
    await this.sleep(this.ctx.timing.volumeRetryMs);
    return this.terminating ? -1 : this.startAndWait(c);
  }

  private cgroupName(c: ContainerRun, restart = c.restartCount): string {
    return `${this.uid}-${c.spec.name}-${restart}`;
  }

  /** Starts the container and resolves with its exit code (or -1 when it could not start). */
  private async startAndWait(c: ContainerRun): Promise<number> {
    const pod = this.pod();
    if (!pod) return -1;
    const image = this.ctx.images.resolve(String(c.spec.image)) as ImageSpec;
    const registry = this.ctx.registry;
    let env: Record<string, string>;
    try {
      env = containerEnv(
        {
          ...pod,
          status: {
            ...(pod.status ?? {}),
            podIP: this.podIP,
            hostIP: this.ctx.network.hostIP,
            podIPs: [{ ip: this.podIP }],
          },
        } as KObject,
        c.spec,
        {
          configMap: (ns, name) =>
            registry.store.peek(registry.type("v1", "ConfigMap"), ns, name) as Any | undefined,
          secret: (ns, name) =>
            registry.store.peek(registry.type("v1", "Secret"), ns, name) as Any | undefined,
          services: (ns) => registry.store.scan(registry.type("v1", "Service"), ns) as Any[],
          apiHost: this.ctx.network.apiHost,
          apiPort: this.ctx.network.apiPort,
        },
        {
          PATH: [...(image.path ?? []), this.ctx.basePath].join(":"),
          HOSTNAME: this.name,
          ...(image.env ?? {}),
        },
      );
    } catch (error) {
      if (!(error instanceof ContainerConfigError)) throw error;
      return this.retryStart(c, "CreateContainerConfigError", error.message);
    }
    const security = effectiveSecurityContext(pod.spec ?? {}, c.spec);
    const violation = nonRootViolation(security, this.ctx.imageUid, {
      pod: this.name,
      namespace: this.namespace,
      uid: this.uid,
      container: String(c.spec.name),
    });
    if (violation) return this.retryStart(c, "CreateContainerConfigError", violation);
    const passwdText = readTextFile("/etc/passwd");
    const identity = processIdentity(security, parsePasswd(passwdText), this.ctx.imageUid);
    // Without root (host mode), the process can only be kube-sim's own user; its groups stay as they are.
    const privileged = this.ctx.imageUid === 0;
    if (identity.switches && (privileged || identity.noNewPrivs) && !this.ctx.setpriv)
      return this.retryStart(
        c,
        "CreateContainerError",
        `kube-sim needs setpriv (Debian package util-linux) on PATH to apply the securityContext of container ${c.spec.name} (runAsUser, runAsGroup, fsGroup, supplementalGroups or allowPrivilegeEscalation: false)`,
      );
    const ownGid = process.getgid?.() ?? 0;
    if (!privileged && (identity.uid !== this.ctx.imageUid || (security.runAsGroup ?? ownGid) !== ownGid))
      return this.retryStart(
        c,
        "CreateContainerError",
        `kube-sim runs as uid ${this.ctx.imageUid} (gid ${ownGid}) without root and cannot run container ${c.spec.name} as runAsUser ${identity.uid}, runAsGroup ${identity.gid}`,
      );
    env.HOME ??= identity.home;
    const command: string[] = (c.spec.command ?? image.entrypoint ?? []).map((s: string) =>
      expand(String(s), env),
    );
    const args: string[] = (c.spec.args ?? (c.spec.command ? [] : (image.cmd ?? []))).map((s: string) =>
      expand(String(s), env),
    );
    const argv = [...command, ...args];
    if (argv.length === 0)
      return this.retryStart(
        c,
        "CreateContainerError",
        `no command specified: image "${c.spec.image}" has no entrypoint in the kube-sim image map and the container sets no command`,
      );
    let passwdFile: string | undefined;
    let groupFile: string | undefined;
    if (this.netnsPath && privileged && identity.switches) {
      const files = accountFiles(identity, passwdText, readTextFile("/etc/group"));
      const dir = path.join(this.podDir, "accounts", String(c.spec.name));
      if (files.passwd !== undefined || files.group !== undefined) await mkdir(dir, { recursive: true });
      if (files.passwd !== undefined) {
        passwdFile = path.join(dir, "passwd");
        await writeReadable(passwdFile, files.passwd);
      }
      if (files.group !== undefined) {
        groupFile = path.join(dir, "group");
        await writeReadable(groupFile, files.group);
      }
    }
    if (security.readOnlyRootFilesystem && !this.netnsPath && !this.warned.has("readOnlyRoot")) {
      this.warned.add("readOnlyRoot");
      this.event(
        "Warning",
        "ReadOnlyRootFilesystemNotEnforced",
        "kube-sim runs this pod without a mount namespace: readOnlyRootFilesystem is not enforced",
      );
    }
    const user = !identity.switches
      ? undefined
      : privileged
        ? setprivArgv(this.ctx.setpriv!, identity)
        : identity.noNewPrivs
          ? [this.ctx.setpriv!, "--no-new-privs", "--"]
          : undefined;
    const mounts: Mount[] = [];
    for (const m of (c.spec.volumeMounts ?? []) as Any[]) {
      const volume = this.volumes.get(m.name);
      if (!volume) continue;
      const source = m.subPath ? path.join(volume.source, m.subPath) : volume.source;
      let isFile = false;
      try {
        isFile = statSync(source).isFile();
      } catch {
        if (m.subPath) await mkdir(source, { recursive: true });
      }
      this.ctx.prepareMountTarget(m.mountPath, isFile);
      mounts.push({ source, target: m.mountPath, readOnly: Boolean(m.readOnly) || volume.readOnly, isFile });
    }
    let cgroupProcs: string | undefined;
    const memoryLimit = c.spec.resources?.limits?.memory;
    if (memoryLimit !== undefined) {
      if (this.ctx.cgroups.available)
        cgroupProcs = this.ctx.cgroups.create(this.cgroupName(c), parseQuantity(memoryLimit));
      else if (!this.warned.has("memory")) {
        this.warned.add("memory");
        this.event("Warning", "MemoryLimitNotEnforced", `kube-sim: ${this.ctx.cgroups.reason}`);
      }
    }
    const workingDir: string | undefined = c.spec.workingDir ?? image.workingDir;
    const containerID = `kube-sim://${this.uid}-${c.spec.name}-${c.restartCount}`;
    if (c.logs) c.previousLogs = c.logs;
    const logs = new LogBuffer();
    c.logs = logs;
    const startedAt = now();
    const child = launchContainer({
      argv,
      env,
      workingDir,
      hostname: (pod.spec?.hostname as string | undefined) ?? this.name,
      netnsPath: this.netnsPath,
      mounts,
      hostsFile: this.hostsPath,
      resolvConf: this.resolvPath,
      cgroupProcs,
      passwdFile,
      groupFile,
      readOnlyRoot: security.readOnlyRootFilesystem && this.netnsPath ? machineMounts() : undefined,
      user,
    });
    c.process = child;
    child.stdout?.on("data", (d: Buffer) => logs.append(d));
    child.stderr?.on("data", (d: Buffer) => logs.append(d));
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>(
      (resolve) => {
        child.once("error", (error) => resolve({ code: null, signal: null, error }));
        child.once("close", (code, signal) => resolve({ code, signal }));
      },
    );
    c.state = { running: { startedAt } };
    this.event("Normal", "Created", `Created container ${c.spec.name}`);
    this.event("Normal", "Started", `Started container ${c.spec.name}`);
    this.phase = this.phase === "Pending" && !c.init ? "Running" : this.phase;
    c.probeReady = !c.spec.readinessProbe;
    c.startupDone = !c.spec.startupProbe;
    this.syncStatus();
    const stopProbes = c.init ? () => undefined : this.startProbes(c, child, env, user);
    const result = await exit;
    stopProbes();
    logs.end();
    c.process = undefined;
    const finishedAt = now();
    let exitCode = result.code ?? (result.signal ? 128 + (SIGNALS[result.signal] ?? 0) : 128);
    let reason = exitCode === 0 ? "Completed" : "Error";
    let message: string | undefined;
    if (result.error) {
      exitCode = 128;
      reason = "StartError";
      message = result.error.message;
    }
    if (cgroupProcs && result.signal === "SIGKILL" && this.ctx.cgroups.oomKilled(this.cgroupName(c)))
      reason = "OOMKilled";
    const terminated: State = {
      terminated: {
        exitCode,
        reason,
        startedAt,
        finishedAt,
        containerID,
        ...(message ? { message } : {}),
        ...(result.signal ? { signal: SIGNALS[result.signal] } : {}),
      },
    };
    c.state = terminated;
    this.syncStatus();
    return exitCode;
  }

  /**
   * Runs the container's startup, readiness and liveness probes until it exits. A failed
   * startup or liveness probe (failureThreshold times in a row) kills the container, which is
   * then restarted according to restartPolicy.
   */
  private startProbes(
    c: ContainerRun,
    child: ChildProcess,
    env: Record<string, string>,
    user: readonly string[] | undefined,
  ): () => void {
    let stopped = false;
    const timers: NodeJS.Timeout[] = [];
    const target = () => ({
      pid: child.pid,
      netnsPath: this.netnsPath,
      podIP: this.podIP ?? "127.0.0.1",
      env,
      ports: (c.spec.ports ?? []) as Any[],
      user,
    });
    const loop = (
      probe: Any,
      kind: "Startup" | "Readiness" | "Liveness",
      gate: () => boolean,
      onResult: (ok: boolean) => void,
    ) => {
      let successes = 0;
      let failures = 0;
      const tick = async () => {
        if (stopped || this.terminating) return;
        if (gate()) {
          const result = await runProbe(probe, target());
          if (stopped || this.terminating) return;
          if (result.ok) {
            failures = 0;
            successes++;
            if (successes >= (probe.successThreshold ?? 1)) onResult(true);
          } else {
            successes = 0;
            failures++;
            this.event("Warning", "Unhealthy", `${kind} probe failed: ${result.message}`);
            if (failures >= (probe.failureThreshold ?? 3)) onResult(false);
          }
        }
        if (!stopped) timers.push(setTimeout(tick, (probe.periodSeconds ?? 10) * 1000));
      };
      timers.push(setTimeout(tick, (probe.initialDelaySeconds ?? 0) * 1000));
    };
    const kill = (why: string) => {
      this.event("Normal", "Killing", `Container ${c.spec.name} ${why}, will be restarted`);
      signalGroup(child, "SIGTERM");
      const grace = ((this.pod()?.spec?.terminationGracePeriodSeconds as number | undefined) ?? 30) * 1000;
      timers.push(setTimeout(() => signalGroup(child, "SIGKILL"), grace));
    };
    if (c.spec.startupProbe) {
      loop(
        c.spec.startupProbe,
        "Startup",
        () => !c.startupDone,
        (ok) => {
          if (ok) {
            c.startupDone = true;
            this.syncStatus();
          } else kill("failed startup probe");
        },
      );
    }
    if (c.spec.readinessProbe) {
      loop(
        c.spec.readinessProbe,
        "Readiness",
        () => c.startupDone,
        (ok) => {
          if (c.probeReady !== ok) {
            c.probeReady = ok;
            this.syncStatus();
          }
        },
      );
    }
    if (c.spec.livenessProbe) {
      loop(
        c.spec.livenessProbe,
        "Liveness",
        () => c.startupDone,
        (ok) => {
          if (!ok) kill("failed liveness probe");
        },
      );
    }
    return () => {
      stopped = true;
      for (const t of timers) clearTimeout(t);
    };
  }

  /** Streams logs of one container (current or previous run). */
  logBuffer(container: string, previous: boolean): LogBuffer | "not-started" | "no-previous" | undefined {
    const c = this.containers.get(container);
    if (!c) return undefined;
    if (previous) return c.previousLogs ?? "no-previous";
    return c.logs ?? "not-started";
  }

  containerNames(): string[] {
    return [...this.containers.values()].filter((c) => !c.init).map((c) => c.spec.name);
  }

  allContainerNames(): string[] {
    return [...this.containers.keys()];
  }

  waitingReason(container: string): string | undefined {
    const c = this.containers.get(container);
    return c && "waiting" in c.state ? c.state.waiting.reason : undefined;
  }

  get hostsFilePath(): string | undefined {
    return this.hostsPath;
  }

  get ip(): string | undefined {
    return this.podIP;
  }

  /** Writes the pod status derived from the containers' states. */
  syncStatus(): void {
    const registry = this.ctx.registry;
    const podType = registry.type("v1", "Pod");
    const stored = this.pod();
    if (!stored) return;
    const pod = clone(stored) as Any;
    const status = clone(pod.status ?? {}) as Any;
    const timestamp = now();
    const mains = [...this.containers.values()].filter((c) => !c.init);
    const inits = [...this.containers.values()].filter((c) => c.init);
    const toStatus = (c: ContainerRun) => {
      const running = "running" in c.state;
      return {
        name: c.spec.name,
        image: c.spec.image,
        imageID: `kube-sim://${c.spec.image}`,
        ...("waiting" in c.state
          ? {}
          : { containerID: `kube-sim://${this.uid}-${c.spec.name}-${c.restartCount}` }),
        ready:
          (running && c.probeReady && c.startupDone) ||
          (c.init && "terminated" in c.state && c.state.terminated.exitCode === 0),
        started: running && c.startupDone,
        restartCount: c.restartCount,
        state: c.state,
        lastState: c.lastState && !("waiting" in c.lastState) ? c.lastState : {},
      };
    };
    const containerStatuses = mains.map(toStatus);
    const allReady = mains.length > 0 && containerStatuses.every((s) => s.ready) && !this.terminating;
    const previous = (status.conditions ?? []) as Any[];
    const condition = (type: string, ok: boolean, reason?: string) => {
      const before = previous.find((c) => c.type === type);
      const value = ok ? "True" : "False";
      return {
        type,
        status: value,
        lastProbeTime: null,
        lastTransitionTime: before && before.status === value ? before.lastTransitionTime : timestamp,
        ...(reason && !ok ? { reason } : {}),
      };
    };
    const terminal = this.phase === "Succeeded" || this.phase === "Failed";
    const readyReason = terminal ? "PodCompleted" : "ContainersNotReady";
    status.phase = this.phase;
    status.hostIP = this.ctx.network.hostIP;
    status.hostIPs = [{ ip: this.ctx.network.hostIP }];
    if (this.podIP) {
      status.podIP = this.podIP;
      status.podIPs = [{ ip: this.podIP }];
    }
    status.startTime ??= this.startTime;
    status.qosClass = qosClass(mains.map((c) => c.spec));
    status.conditions = [
      condition("PodReadyToStartContainers", Boolean(this.podIP) && !terminal),
      condition(
        "Initialized",
        this.initialized ||
          inits.length === 0 ||
          inits.every((c) => c.done && "terminated" in c.state && c.state.terminated.exitCode === 0),
        "ContainersNotInitialized",
      ),
      condition("Ready", allReady, readyReason),
      condition("ContainersReady", allReady, readyReason),
      previous.find((c) => c.type === "PodScheduled") ?? condition("PodScheduled", true),
    ];
    status.containerStatuses = containerStatuses;
    if (inits.length > 0) status.initContainerStatuses = inits.map(toStatus);
    if (JSON.stringify(status) === JSON.stringify(pod.status ?? {})) return;
    pod.status = status;
    try {
      registry.update(podType, this.namespace, this.name, pod, "status");
    } catch {
      // The pod was removed meanwhile.
    }
  }
}

function qosClass(containers: Any[]): string {
  const resources = containers.map((c) => c.resources ?? {});
  const any = resources.some(
    (r) => Object.keys(r.limits ?? {}).length > 0 || Object.keys(r.requests ?? {}).length > 0,
  );
  if (!any) return "BestEffort";
  const guaranteed = resources.every(
    (r) =>
      r.limits?.cpu !== undefined &&
      r.limits?.memory !== undefined &&
      (r.requests?.cpu ?? r.limits.cpu) === r.limits.cpu &&
      (r.requests?.memory ?? r.limits.memory) === r.limits.memory,
  );
  return guaranteed ? "Guaranteed" : "Burstable";
}

/** Writes a file bound into containers: readable by a container's non-root user, whatever this process's umask. */
async function writeReadable(file: string, content: string): Promise<void> {
  await writeFile(file, content);
  await chmod(file, 0o644);
}

function readTextFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  }
}
