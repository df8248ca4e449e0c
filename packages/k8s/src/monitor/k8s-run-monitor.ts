/**
 * Kubernetes run monitoring, by watches: in each namespace that holds run Jobs, one watch on run-worker
 * Jobs, one on run-worker pods and one on Warning events keep caches current; nothing polls.
 *
 * This monitor writes nothing: it reports what it sees to the `RunObserver` the daemon's run monitor
 * gave the launcher (`RunLauncher.observe`), which stores it at once and is the one writer of a run's
 * end outside its worker. What it reports, for runs it follows:
 * - A Warning event about a run's Job or pod (FailedScheduling, a quota refusal, a pull error, an
 *   eviction): `warning`, as it happens (the daemon writes it as an ENGINE_EVENT while the run is unfinished).
 * - The run's pods and their states, when they change: `launcherInfoChanged` (the run page shows them).
 * - A run pod that cannot start (see `pod-diagnosis.ts`: ImagePullBackOff at once, ErrImagePull,
 *   CreateContainerConfigError and Unschedulable after their grace): `workerEnded`, within seconds,
 *   described as a FAILURE with a report (pod phase, container states, log tail, warnings); once the
 *   daemon wrote it, the Job is deleted so nothing stays Pending.
 * - A run pod killed (OOMKilled, evicted, CrashLoopBackOff): `workerEnded` with the same report.
 * - A run Job that failed, completed or vanished: after `finishGraceMs` (the worker's own last events
 *   may still be arriving), `workerEnded`: FAILURE, or CANCELED when the run was being canceled. The
 *   daemon asks for the description only if the run is still unfinished, so a run that ended by itself
 *   costs no log read.
 *
 * States of a tracked run: watched → concluded (the daemon wrote the end this monitor reported; no
 * more diagnosis) or finished (its worker ended it, and the daemon found the report moot); the
 * deletion of its Job (by its TTL, or a terminate) ends its tracking, and the monitor forgets the run,
 * so a daemon that runs for months holds state only for the run Jobs that still exist.
 */

import type { RunEnding, RunObserver, UnfinishedRunStatus } from "@bosun/runs";
import type { CoreV1Event, V1Job, V1Pod } from "@kubernetes/client-node";
import type { KubeClients } from "../client/kube-clients.ts";
import { kubeErrorMessage, kubeStatusCode } from "../client/kube-errors.ts";
import { withKubeRetry } from "../client/kube-retry.ts";
import type { WatchVerb } from "../client/object-watch.ts";
import { type WorkloadWatches, watchWorkloads } from "../client/workload-watches.ts";
import {
  containerStates,
  DEFAULT_POD_START_POLICY,
  formatContainerStates,
  type PodProblem,
  type PodStartPolicy,
  podProblems,
} from "./pod-diagnosis.ts";
import {
  buildWorkloadReport,
  formatWarningEvent,
  type WorkloadReport,
  warningsAbout,
} from "./workload-report.ts";

/** Label selector of run worker Jobs and pods. */
export const RUN_WORKER_SELECTOR = "app.kubernetes.io/component=run-worker";
const JOB_NAME_LABEL = "job-name";
const JOB_NAME_LABEL_NEW = "batch.kubernetes.io/job-name";
const RUN_ID_LABEL = "bosun/run-id";

/** Where the run monitor writes its log lines. */
export type MonitorLogger = (level: "info" | "warning" | "error", message: string) => void;

/** Options of `K8sRunMonitor`: clients, storage, the pod start policy and timings. */
export interface K8sRunMonitorOptions {
  readonly clients: KubeClients;
  /** Where what the watches show is reported: the daemon's run monitor, which writes it. */
  readonly observer: RunObserver;
  readonly policy?: Partial<PodStartPolicy>;
  /** After a run Job finished or vanished, how long its worker gets to store its own last events. Default 3 s. */
  readonly finishGraceMs?: number;
  readonly log?: MonitorLogger;
}

/** Last pod list reported per run, so unchanged states are not reported again. */
type RecordedPods = Map<string, string>;

type NamespaceWatches = WorkloadWatches;

/** The namespace's job name of a pod (set by the Job controller). */
export function jobNameOfPod(pod: V1Pod): string | undefined {
  return pod.metadata?.labels?.[JOB_NAME_LABEL] ?? pod.metadata?.labels?.[JOB_NAME_LABEL_NEW];
}

/**
 * Watches run Jobs, pods and Warning events and fails runs whose pod cannot start or whose Job ended without
 * them (see the file header).
 */
export class K8sRunMonitor {
  private readonly namespaces = new Map<string, NamespaceWatches>();
  /** `namespace/jobName` → run id. */
  private readonly tracked = new Map<string, string>();
  /** Runs whose end this monitor reported and the daemon wrote. */
  private readonly concluded = new Set<string>();
  /** When each pod problem was first seen (`podUid/reason/container`). */
  private readonly firstSeen = new Map<string, number>();
  private readonly recordedPods: RecordedPods = new Map();
  private readonly podWrites = new Map<string, Promise<unknown>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Warning event uid → the count already reported. */
  private readonly reportedWarnings = new Map<string, number>();
  /** Per run, so two reactions to one run never interleave. */
  private readonly queues = new Map<string, Promise<void>>();
  private readonly policy: PodStartPolicy;
  private closed = false;

  constructor(private readonly options: K8sRunMonitorOptions) {
    this.policy = { ...DEFAULT_POD_START_POLICY, ...(options.policy ?? {}) };
  }

  /** Starts watching the namespace (if not yet) and resolves when its caches are filled, or after `timeoutMs`. */
  async watchNamespace(namespace: string, timeoutMs = 10_000): Promise<void> {
    let watches = this.namespaces.get(namespace);
    if (!watches) {
      watches = this.startWatches(namespace);
      this.namespaces.set(namespace, watches);
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      watches.ready,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /** Follows a run's Job from now on. */
  track(runId: string, namespace: string, jobName: string): void {
    this.tracked.set(`${namespace}/${jobName}`, runId);
    void this.watchNamespace(namespace, 0);
  }

  /** The Job from the watch cache: null when the cache is current and has no such Job, undefined when the cache is not ready. */
  cachedJob(namespace: string, name: string): V1Job | null | undefined {
    const watches = this.namespaces.get(namespace);
    if (!watches?.jobs.ready) return undefined;
    return watches.jobs.get(name, namespace) ?? null;
  }

  /** The pods of a run Job, from the watch cache (empty when not watched). */
  cachedPods(namespace: string, jobName: string): V1Pod[] {
    const watches = this.namespaces.get(namespace);
    if (!watches) return [];
    return watches.pods
      .list()
      .filter((pod) => jobNameOfPod(pod) === jobName && pod.metadata?.namespace === namespace);
  }

  /** The most pressing problem of a run Job's pods, when one has lasted past its grace. */
  problemOf(namespace: string, jobName: string): { pod: V1Pod; problem: PodProblem } | undefined {
    const now = Date.now();
    for (const pod of this.cachedPods(namespace, jobName)) {
      for (const problem of podProblems(pod, this.policy)) {
        const first = this.firstSeen.get(problemKey(pod, problem)) ?? now;
        if (now - first >= problem.graceMs) return { pod, problem };
      }
    }
    return undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.namespaces.values()].map((watches) => watches.close()));
    this.namespaces.clear();
    await Promise.all([...this.queues.values()]);
  }

  private startWatches(namespace: string): NamespaceWatches {
    return watchWorkloads({
      clients: this.options.clients,
      namespace,
      labelSelector: RUN_WORKER_SELECTOR,
      kind: "run",
      onJob: (verb, job) => this.onJob(verb, job),
      onPod: (verb, pod) => this.onPod(verb, pod),
      onWarning: (verb, event) => this.onEvent(verb, event),
      // Warnings listed at start-up happened before this monitor: remembered, not reported again.
      onEarlierWarning: (event) => this.remember(event),
      onError: (message) => this.log("warning", message),
    });
  }

  private runIdOf(
    namespace: string,
    jobName: string | undefined,
    labels: Record<string, string> | undefined,
  ): string | undefined {
    if (jobName !== undefined) {
      const tracked = this.tracked.get(`${namespace}/${jobName}`);
      if (tracked !== undefined) return tracked;
    }
    return labels?.[RUN_ID_LABEL];
  }

  private onJob(verb: WatchVerb, job: V1Job): void {
    const namespace = job.metadata?.namespace ?? "default";
    const name = job.metadata?.name ?? "";
    const runId = this.runIdOf(namespace, name, job.metadata?.labels);
    if (runId === undefined) return;
    if (verb === "delete") {
      this.later(this.finishGraceMs(), () =>
        this.conclude(runId, async (status) =>
          status === "CANCELING"
            ? {
                status: "CANCELED",
                reason: `the run Job ${name} was deleted before its worker finished canceling`,
              }
            : {
                status: "FAILURE",
                reason: `the run Job ${name} was deleted while the run was ${status}`,
              },
        ).finally(() => this.forget(runId, namespace, name)),
      );
      return;
    }
    const finished = job.status?.conditions?.find(
      (c) => (c.type === "Failed" || c.type === "Complete") && c.status === "True",
    );
    if (!finished) return;
    this.later(this.finishGraceMs(), () =>
      this.conclude(runId, async (status) => {
        if (status === "CANCELING")
          return {
            status: "CANCELED",
            reason: `the run worker in Job ${name} ended before it finished canceling`,
          };
        const pod = this.cachedPods(namespace, name).at(-1);
        const problem = pod ? podProblems(pod, this.policy)[0] : undefined;
        const report = await buildWorkloadReport({
          clients: this.options.clients,
          headline:
            finished.type === "Failed"
              ? `the run Job ${name} failed before the run finished`
              : `the run worker in Job ${name} exited without finishing the run`,
          job,
          ...(pod ? { pod } : {}),
          ...(problem ? { problem } : {}),
          warnings: this.warningsOf(namespace, name),
        });
        return failureWithReport(report);
      }),
    );
  }

  private onPod(verb: WatchVerb, pod: V1Pod): void {
    if (verb === "delete") {
      for (const key of this.firstSeen.keys())
        if (key.startsWith(`${pod.metadata?.uid}/`)) this.firstSeen.delete(key);
      return;
    }
    this.evaluatePod(pod);
  }

  private evaluatePod(pod: V1Pod): void {
    const namespace = pod.metadata?.namespace ?? "default";
    const jobName = jobNameOfPod(pod);
    const runId = this.runIdOf(namespace, jobName, pod.metadata?.labels);
    if (runId !== undefined && jobName !== undefined) void this.recordPods(runId, namespace, jobName);
    if (runId === undefined || jobName === undefined || this.concluded.has(runId)) return;
    const now = Date.now();
    for (const problem of podProblems(pod, this.policy)) {
      const key = problemKey(pod, problem);
      const first = this.firstSeen.get(key) ?? now;
      this.firstSeen.set(key, first);
      const due = first + problem.graceMs - now;
      if (due > 0) {
        // Look again when the grace ends, from the cache (the problem may be gone by then).
        this.later(due + 50, async () => {
          const current = this.namespaces.get(namespace)?.pods.get(pod.metadata?.name ?? "", namespace);
          if (current) this.evaluatePod(current);
        });
        continue;
      }
      void this.failForPod(runId, namespace, jobName, pod, problem);
      return;
    }
  }

  /**
   * Reports the run's pods and their states for its launcher info (the run page shows them), only when
   * they change.
   */
  private async recordPods(runId: string, namespace: string, jobName: string): Promise<void> {
    const pods = (this.namespaces.get(namespace)?.pods.list() ?? [])
      .filter((candidate) => jobNameOfPod(candidate) === jobName)
      .map((candidate) => ({
        name: candidate.metadata?.name ?? "",
        phase: candidate.status?.phase ?? "Pending",
        reason: formatContainerStates(containerStates(candidate)),
      }));
    const written = JSON.stringify(pods);
    if (this.recordedPods.get(runId) === written) return;
    this.recordedPods.set(runId, written);
    // Reports of one run go out in order, so an older state never lands after a newer one.
    const previous = this.podWrites.get(runId) ?? Promise.resolve();
    const write = previous.then(() => this.options.observer.launcherInfoChanged(runId, { pods }));
    const settled = write.catch(() => undefined);
    this.podWrites.set(runId, settled);
    // Forget finished runs, so a long-lived daemon does not keep one entry per run ever launched.
    void settled.then(() => {
      if (this.podWrites.get(runId) === settled) this.podWrites.delete(runId);
      if (pods.every((pod) => pod.phase === "Succeeded" || pod.phase === "Failed"))
        this.recordedPods.delete(runId);
    });
    await write.catch((error: unknown) => {
      (this.options.log ?? defaultLog)(
        "warning",
        `could not record the pods of run ${runId}: ${(error as Error)?.message ?? String(error)}`,
      );
    });
  }

  private async failForPod(
    runId: string,
    namespace: string,
    jobName: string,
    pod: V1Pod,
    problem: PodProblem,
  ): Promise<void> {
    const concluded = await this.conclude(runId, async () => {
      const report = await buildWorkloadReport({
        clients: this.options.clients,
        headline: problem.kind === "cannot-start" ? "the run pod cannot start" : "the run pod was stopped",
        pod,
        problem,
        warnings: this.warningsOf(namespace, jobName),
      });
      return failureWithReport(report);
    }).catch(() => false);
    if (concluded && problem.kind === "cannot-start") {
      // Nothing will ever run in it: delete it rather than leave a pod Pending (its report is in the
      // event log: the daemon wrote it before `workerEnded` resolved).
      try {
        await withKubeRetry(() =>
          this.options.clients.batch.deleteNamespacedJob({
            name: jobName,
            namespace,
            propagationPolicy: "Foreground",
          }),
        );
      } catch (error) {
        if (kubeStatusCode(error) !== 404)
          this.log(
            "warning",
            `could not delete the run Job ${namespace}/${jobName}: ${kubeErrorMessage(error)}`,
          );
      }
    }
  }

  private onEvent(verb: WatchVerb, event: CoreV1Event): void {
    if (verb === "delete" || event.type !== "Warning") return;
    const uid = event.metadata?.uid ?? `${event.metadata?.namespace}/${event.metadata?.name}`;
    const count = event.count ?? event.series?.count ?? 1;
    if ((this.reportedWarnings.get(uid) ?? 0) >= count) return;
    const namespace = event.involvedObject.namespace ?? event.metadata?.namespace ?? "default";
    const jobName = this.jobOfInvolvedObject(namespace, event);
    if (jobName === undefined) return;
    const runId =
      this.tracked.get(`${namespace}/${jobName}`) ??
      this.namespaces.get(namespace)?.jobs.get(jobName, namespace)?.metadata?.labels?.[RUN_ID_LABEL];
    if (runId === undefined) return;
    this.reportedWarnings.set(uid, count);
    // In the run's queue, so a warning is stored before an end reported after it.
    this.enqueue(runId, () =>
      this.options.observer.warning(runId, `Kubernetes warning: ${formatWarningEvent(event)}`, {
        kind: event.involvedObject.kind ?? null,
        name: event.involvedObject.name ?? null,
        namespace,
        reason: event.reason ?? null,
        message: event.message ?? null,
        count,
      }),
    );
  }

  private remember(event: CoreV1Event): void {
    const uid = event.metadata?.uid ?? `${event.metadata?.namespace}/${event.metadata?.name}`;
    this.reportedWarnings.set(uid, event.count ?? event.series?.count ?? 1);
  }

  /** The run Job an event is about: the Job itself, or one of its pods. */
  private jobOfInvolvedObject(namespace: string, event: CoreV1Event): string | undefined {
    const { kind, name } = event.involvedObject;
    if (name === undefined) return undefined;
    const watches = this.namespaces.get(namespace);
    if (kind === "Job")
      return watches?.jobs.get(name, namespace) || this.tracked.has(`${namespace}/${name}`)
        ? name
        : undefined;
    if (kind !== "Pod") return undefined;
    const pod = watches?.pods.get(name, namespace);
    if (pod) return jobNameOfPod(pod);
    // The pod may not be in the cache yet: its name is `<job name>-<suffix>`.
    for (const key of this.tracked.keys()) {
      const [ns, job] = key.split("/") as [string, string];
      if (ns === namespace && name.startsWith(`${job}-`)) return job;
    }
    return undefined;
  }

  private warningsOf(namespace: string, jobName: string): CoreV1Event[] {
    const watches = this.namespaces.get(namespace);
    if (!watches) return [];
    const names = new Set([
      jobName,
      ...this.cachedPods(namespace, jobName).map((pod) => pod.metadata?.name ?? ""),
    ]);
    return warningsAbout(watches.events.list(), names);
  }

  /**
   * Reports that a run's worker ended or cannot run; `describe` says how the run ends given its status,
   * and is only called when the run is still unfinished. Returns whether the daemon wrote the end.
   */
  private conclude(
    runId: string,
    describe: (status: UnfinishedRunStatus) => Promise<RunEnding>,
  ): Promise<boolean> {
    return this.enqueue(runId, async () => {
      if (this.concluded.has(runId)) return false;
      const ended = await this.options.observer.workerEnded(runId, describe);
      if (ended) this.concluded.add(runId);
      return ended;
    });
  }

  /** The run's Job is gone: nothing more can be learnt about the run, so nothing is kept about it. */
  private forget(runId: string, namespace: string, jobName: string): void {
    this.tracked.delete(`${namespace}/${jobName}`);
    this.concluded.delete(runId);
    this.recordedPods.delete(runId);
  }

  /** How many runs this monitor keeps a conclusion for (runs whose Job still exists). */
  get concludedRunCount(): number {
    return this.concluded.size;
  }

  private enqueue<T>(runId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(runId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.then(
      () => undefined,
      (error: unknown) => this.log("error", `run ${runId}: ${(error as Error)?.message ?? String(error)}`),
    );
    this.queues.set(runId, settled);
    void settled.then(() => {
      if (this.queues.get(runId) === settled) this.queues.delete(runId);
    });
    return next;
  }

  private later(delayMs: number, work: () => Promise<unknown>): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed)
        void work().catch((error: unknown) => this.log("error", (error as Error)?.message ?? String(error)));
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  private finishGraceMs(): number {
    return this.options.finishGraceMs ?? 3_000;
  }

  private log(level: "info" | "warning" | "error", message: string): void {
    (this.options.log ?? defaultLog)(level, message);
  }
}

/** A FAILURE whose reason is the report's summary, the report's detail going to the run page. */
function failureWithReport(report: WorkloadReport): RunEnding {
  return {
    status: "FAILURE",
    reason: report.summary,
    report: { message: `Kubernetes: ${report.summary.split(" — ")[0]}`, detail: report.detail },
  };
}

function problemKey(pod: V1Pod, problem: PodProblem): string {
  return `${pod.metadata?.uid}/${problem.reason}/${problem.container ?? ""}`;
}

const defaultLog: MonitorLogger = (level, message) => {
  process.stderr.write(`${new Date().toISOString()} [bosun-k8s] ${level} ${message}\n`);
};
