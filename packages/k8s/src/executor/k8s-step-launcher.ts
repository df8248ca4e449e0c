/**
 * The k8sJobExecutor's StepLauncher: each step attempt is a Kubernetes Job running
 * `bosun api execute-step`, followed by a watch (one on this run's step Jobs, one on their pods, one on
 * Warning events, per namespace: no polling).
 *
 * An attempt's life: created → (pod stuck: ImagePullBackOff, CreateContainerConfigError, Unschedulable,
 * not started in time → its Job is deleted, STEP_FAILURE with a report) | (Job finished → the outcome is
 * the step's own last event for this attempt: STEP_SUCCESS, STEP_RETRY with its delay, STEP_FAILURE; a
 * pod that died without one (OOMKilled, killed) gets a STEP_FAILURE with a report) | (Job deleted:
 * interrupted by cancellation, or removed by someone). The pod's log is appended to the step's compute
 * logs (stderr). Warning events of step Jobs and pods go to the run's event log as they happen.
 *
 * `interrupt` and `close` delete every step Job still active, so no terminal transition of the run
 * leaves a Pending or running step Job behind. Step Jobs are owned by the run's Job, so deleting the
 * run's Job deletes them too.
 */

import type { RunRecord, SerializableFailure, StoredEvent } from "@bosun/core";
import { newEvent } from "@bosun/core";
import {
  type CodeOrigin,
  ComputeLogRecorder,
  type EventWriter,
  type ExecutionPlan,
  launcherStepFailureEvent,
  type StepAttemptResult,
  type StepLauncher,
} from "@bosun/engine";
import type { ComputeLogSettings } from "@bosun/instance";
import type { ComputeLogStorage, EventLogStorage } from "@bosun/storage";
import type { CoreV1Event, V1Job, V1Pod } from "@kubernetes/client-node";
import type { KubeClients } from "../client/kube-clients.ts";
import { kubeErrorMessage, kubeStatusCode } from "../client/kube-errors.ts";
import { createWithRetry, withKubeRetry } from "../client/kube-retry.ts";
import type { WatchVerb } from "../client/object-watch.ts";
import { type WorkloadWatches, watchWorkloads } from "../client/workload-watches.ts";
import type { K8sJobExecutorConfig } from "../config/executor-config.ts";
import type { RunPodSettings } from "../launcher/worker-env.ts";
import { sanitizeLabelValue } from "../manifests/labels.ts";
import type { StepJobOwner } from "../manifests/step-job.ts";
import { jobNameOfPod } from "../monitor/k8s-run-monitor.ts";
import {
  DEFAULT_POD_START_POLICY,
  type PodProblem,
  type PodStartPolicy,
  podProblems,
} from "../monitor/pod-diagnosis.ts";
import {
  buildWorkloadReport,
  formatWarningEvent,
  podLogTail,
  warningsAbout,
} from "../monitor/workload-report.ts";
import { stepJobManifest } from "./step-job-manifest.ts";

/**
 * What a `K8sStepLauncher` needs: the run and its plan, the executor's config, the run pod's settings,
 * clients and storage.
 */
export interface K8sStepLauncherOptions {
  readonly run: RunRecord;
  readonly plan: ExecutionPlan;
  readonly origin: CodeOrigin;
  readonly config: K8sJobExecutorConfig;
  readonly settings: RunPodSettings;
  readonly clients: KubeClients;
  readonly events: EventWriter;
  readonly eventLog: Pick<EventLogStorage, "getEvents">;
  readonly computeLogs: ComputeLogStorage;
  /** The instance's `compute_logs` settings, which the saved pod logs obey too. */
  readonly computeLogSettings: ComputeLogSettings;
  readonly podStartPolicy?: Partial<PodStartPolicy>;
  /** A step pod not running this long after its Job was created fails the attempt. Default 10 min. */
  readonly startTimeoutMs?: number;
  /** Called by `close` (e.g. to close storage the executor opened). */
  readonly onClose?: () => Promise<void>;
}

type AttemptEnd =
  | { readonly kind: "finished"; readonly job: V1Job }
  | { readonly kind: "deleted" }
  | { readonly kind: "stuck"; readonly pod?: V1Pod; readonly problem: PodProblem };

interface Attempt {
  readonly stepKey: string;
  readonly retryNumber: number;
  readonly jobName: string;
  readonly namespace: string;
  readonly end: Promise<AttemptEnd>;
  settle(end: AttemptEnd): void;
  settled: boolean;
  startTimer: NodeJS.Timeout | null;
}

type NamespaceWatches = WorkloadWatches;

const OUTCOME_TYPES = ["STEP_START", "STEP_SUCCESS", "STEP_FAILURE", "STEP_RETRY"] as const;
/** How long reading a finished step's outcome from the event log may take before the exit code decides. */
const OUTCOME_READ_TIMEOUT_MS = 20_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
      timer.unref();
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * The k8sJobExecutor's `StepLauncher` (see the file header): one Kubernetes Job per step attempt, followed by
 * watches.
 */
export class K8sStepLauncher implements StepLauncher {
  readonly maxConcurrent: number;
  private readonly attempts = new Map<string, Attempt>();
  private readonly namespaces = new Map<string, NamespaceWatches>();
  private readonly firstSeen = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly reportedWarnings = new Map<string, number>();
  private readonly policy: PodStartPolicy;
  private readonly selector: string;
  private owner: Promise<StepJobOwner | undefined> | null = null;
  private interrupted = false;
  private closed = false;

  constructor(private readonly options: K8sStepLauncherOptions) {
    this.maxConcurrent = options.config.max_concurrent ?? 1_000;
    this.policy = { ...DEFAULT_POD_START_POLICY, ...(options.podStartPolicy ?? {}) };
    this.selector = `app.kubernetes.io/component=step-worker,bosun/run-id=${sanitizeLabelValue(options.run.runId)}`;
  }

  async launch(stepKey: string, retryNumber: number): Promise<StepAttemptResult> {
    const { run, plan, origin, settings, clients } = this.options;
    if (this.interrupted)
      return this.recordFailure(stepKey, retryNumber, "the run is being canceled", undefined, true);
    let job: V1Job;
    try {
      job = stepJobManifest({
        run,
        step: plan.step(stepKey),
        retryNumber,
        origin,
        executor: this.options.config,
        ...(settings.launcher ? { launcher: settings.launcher } : {}),
        ...(settings.containerContext ? { containerContext: settings.containerContext } : {}),
        ...(settings.runImage ? { fallbackImage: settings.runImage } : {}),
        ...(await this.runJobOwner()),
      });
    } catch (error) {
      return this.recordFailure(
        stepKey,
        retryNumber,
        `its Job could not be built: ${(error as Error).message}`,
      );
    }
    const namespace = job.metadata!.namespace!;
    const jobName = job.metadata!.name!;
    await this.watchNamespace(namespace);
    const attempt = this.newAttempt(stepKey, retryNumber, jobName, namespace);
    try {
      await createWithRetry(() => clients.batch.createNamespacedJob({ namespace, body: job }));
    } catch (error) {
      this.forget(attempt);
      return this.recordFailure(
        stepKey,
        retryNumber,
        `its Job ${namespace}/${jobName} could not be created: ${kubeErrorMessage(error)}`,
      );
    }
    this.options.events.emit(
      newEvent(run.runId, "ENGINE_EVENT", {
        stepKey,
        level: "debug",
        message: `Launched step "${stepKey}" (attempt ${retryNumber + 1}) in Kubernetes Job ${namespace}/${jobName}`,
        data: {
          detail: {
            k8sJobName: jobName,
            k8sNamespace: namespace,
            image: job.spec?.template.spec?.containers[0]?.image ?? null,
          },
        },
      }),
    );
    // The Job may have finished before the watch delivered its creation.
    const cached = this.namespaces.get(namespace)?.jobs.get(jobName, namespace);
    if (cached) this.onJob("update", cached);
    const end = await attempt.end;
    this.forget(attempt);
    return this.conclude(attempt, end);
  }

  async interrupt(): Promise<void> {
    this.interrupted = true;
    await this.deleteActiveJobs();
  }

  async close(): Promise<void> {
    await this.deleteActiveJobs();
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.namespaces.values()].map((watches) => watches.close()));
    this.namespaces.clear();
    await this.options.events.flush().catch(() => undefined);
    await this.options.onClose?.();
  }

  /** The run's Job, as owner of step Jobs, when this run worker runs in one. */
  private runJobOwner(): Promise<{ owner?: StepJobOwner }> {
    const runJob = this.options.settings.runJob;
    if (!runJob) return Promise.resolve({});
    this.owner ??= withKubeRetry(() =>
      this.options.clients.batch.readNamespacedJob({ name: runJob.name, namespace: runJob.namespace }),
    ).then(
      (job) =>
        job.metadata?.uid
          ? { name: runJob.name, namespace: runJob.namespace, uid: job.metadata.uid }
          : undefined,
      (error: unknown) => {
        this.options.events.emit(
          newEvent(this.options.run.runId, "ENGINE_EVENT", {
            level: "warning",
            message: `Step Jobs will not be owned by the run's Job ${runJob.namespace}/${runJob.name} (${kubeErrorMessage(error)}): deleting it will not delete them`,
            data: {},
          }),
        );
        return undefined;
      },
    );
    return this.owner.then((owner) => (owner ? { owner } : {}));
  }

  private newAttempt(stepKey: string, retryNumber: number, jobName: string, namespace: string): Attempt {
    let settle!: (end: AttemptEnd) => void;
    const end = new Promise<AttemptEnd>((resolve) => {
      settle = resolve;
    });
    const attempt: Attempt = {
      stepKey,
      retryNumber,
      jobName,
      namespace,
      end,
      settled: false,
      startTimer: null,
      settle: (value) => {
        if (attempt.settled) return;
        attempt.settled = true;
        if (attempt.startTimer) clearTimeout(attempt.startTimer);
        settle(value);
      },
    };
    const timeoutMs = this.options.startTimeoutMs ?? 600_000;
    attempt.startTimer = setTimeout(() => {
      const pods = this.podsOf(namespace, jobName);
      const running = pods.some((pod) => pod.status?.phase !== "Pending");
      if (!running)
        attempt.settle({
          kind: "stuck",
          ...(pods[0] ? { pod: pods[0] } : {}),
          problem: {
            reason: "StartTimeout",
            message: `the step pod did not start within ${Math.round(timeoutMs / 1000)} s`,
            graceMs: 0,
            kind: "cannot-start",
          },
        });
    }, timeoutMs);
    attempt.startTimer.unref();
    this.attempts.set(`${namespace}/${jobName}`, attempt);
    return attempt;
  }

  private forget(attempt: Attempt): void {
    if (attempt.startTimer) clearTimeout(attempt.startTimer);
    if (this.attempts.get(`${attempt.namespace}/${attempt.jobName}`) === attempt)
      this.attempts.delete(`${attempt.namespace}/${attempt.jobName}`);
  }

  private async conclude(attempt: Attempt, end: AttemptEnd): Promise<StepAttemptResult> {
    const { stepKey, retryNumber, jobName, namespace } = attempt;
    const pod = this.podsOf(namespace, jobName).at(-1);
    if (pod && end.kind !== "stuck") await this.saveLogs(stepKey, pod);
    if (end.kind === "stuck") {
      await this.deleteJob(namespace, jobName);
      const report = await buildWorkloadReport({
        clients: this.options.clients,
        headline: `the pod of step "${stepKey}" cannot start`,
        ...(end.pod ? { pod: end.pod } : {}),
        problem: end.problem,
        warnings: this.warningsOf(namespace, jobName),
      });
      return this.recordFailure(stepKey, retryNumber, report.summary, report.detail);
    }
    // Canceled: the pod reports its own interruption; nothing more to learn, and the run must end promptly.
    if (this.interrupted) return { outcome: "failure", interrupted: true };
    const outcome = await withTimeout(this.lastOutcome(stepKey, retryNumber), OUTCOME_READ_TIMEOUT_MS).catch(
      () => undefined,
    );
    if (outcome === undefined && end.kind === "finished") {
      // The event log could not be read: the pod's exit code says the same (0 success, 2 retry, 1 failure).
      const exitCode = pod?.status?.containerStatuses?.[0]?.state?.terminated?.exitCode;
      if (exitCode === 0) return { outcome: "success" };
      if (exitCode === 2) return { outcome: "retry", delayMs: 0 };
      if (exitCode === 1) return { outcome: "failure" };
    }
    if (outcome?.type === "STEP_SUCCESS") return { outcome: "success" };
    if (outcome?.type === "STEP_RETRY" && !this.interrupted)
      return { outcome: "retry", delayMs: outcome.data.delayMs };
    if (outcome?.type === "STEP_FAILURE" || outcome?.type === "STEP_RETRY")
      return this.interrupted ? { outcome: "failure", interrupted: true } : { outcome: "failure" };
    if (end.kind === "deleted")
      return this.recordFailure(
        stepKey,
        retryNumber,
        this.interrupted
          ? `its Job ${jobName} was deleted because the run is being canceled`
          : `its Job ${namespace}/${jobName} was deleted before the step finished`,
        undefined,
        this.interrupted,
      );
    const problem = pod ? podProblems(pod, this.policy).find((p) => p.kind === "crashed") : undefined;
    const report = await buildWorkloadReport({
      clients: this.options.clients,
      headline: `the pod of step "${stepKey}" ended without reporting the step's outcome`,
      job: end.job,
      ...(pod ? { pod } : {}),
      ...(problem ? { problem } : {}),
      warnings: this.warningsOf(namespace, jobName),
    });
    return this.recordFailure(stepKey, retryNumber, report.summary, report.detail);
  }

  /** The step's own verdict for this attempt: the last outcome event after its STEP_START. */
  private async lastOutcome(stepKey: string, retryNumber: number): Promise<StoredEvent | undefined> {
    await this.options.events.flush().catch(() => undefined);
    let events: readonly StoredEvent[] = [];
    // A busy database may refuse a connection for a moment; the outcome is worth a few tries.
    for (let attempt = 1; ; attempt++) {
      try {
        events = await this.options.eventLog.getEvents(this.options.run.runId, {
          stepKey,
          types: [...OUTCOME_TYPES],
        });
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      }
    }
    let startIndex = -1;
    events.forEach((event, index) => {
      if (event.type === "STEP_START" && event.data.attempt === retryNumber + 1) startIndex = index;
    });
    if (startIndex < 0) return undefined;
    return events.slice(startIndex + 1).findLast((event) => event.type !== "STEP_START");
  }

  private async recordFailure(
    stepKey: string,
    retryNumber: number,
    reason: string,
    detail?: Readonly<Record<string, unknown>>,
    interrupted = false,
  ): Promise<StepAttemptResult> {
    const { events, run } = this.options;
    if (detail)
      events.emit(
        newEvent(run.runId, "ENGINE_EVENT", {
          stepKey,
          level: "error",
          message: `Kubernetes: ${reason.split(" — ")[0]}`,
          data: { detail: detail as never },
        }),
      );
    const failure: SerializableFailure = {
      className: "K8sStepError",
      message: reason,
      stack: null,
      cause: null,
    };
    events.emit(
      launcherStepFailureEvent({ runId: run.runId, stepKey, retryNumber, failure, summary: reason }),
    );
    await events.flush();
    return interrupted ? { outcome: "failure", interrupted: true } : { outcome: "failure" };
  }

  /** Keeps the tail of a step pod's own log (what the step process printed outside its capture) as its stderr. */
  private async saveLogs(stepKey: string, pod: V1Pod): Promise<void> {
    const { computeLogs, computeLogSettings, run } = this.options;
    if (!computeLogSettings.enabled) return;
    const text = await podLogTail(this.options.clients, pod, 100_000);
    if (text.length === 0) return;
    try {
      const recorder = await ComputeLogRecorder.open(computeLogs, run.runId, stepKey, computeLogSettings);
      recorder.write("stderr", text);
      await recorder.flush();
    } catch (error) {
      this.options.events.emit(
        newEvent(this.options.run.runId, "ENGINE_EVENT", {
          stepKey,
          level: "warning",
          message: `Could not store the log of pod ${pod.metadata?.name}: ${(error as Error).message}`,
          data: {},
        }),
      );
    }
  }

  private async deleteActiveJobs(): Promise<void> {
    const active = [...this.attempts.values()].filter((attempt) => !attempt.settled);
    await Promise.all(active.map((attempt) => this.deleteJob(attempt.namespace, attempt.jobName)));
  }

  private async deleteJob(namespace: string, name: string): Promise<void> {
    try {
      await withKubeRetry(() =>
        this.options.clients.batch.deleteNamespacedJob({ name, namespace, propagationPolicy: "Foreground" }),
      );
    } catch (error) {
      if (kubeStatusCode(error) === 404) return;
      this.options.events.emit(
        newEvent(this.options.run.runId, "ENGINE_EVENT", {
          level: "warning",
          message: `Could not delete step Job ${namespace}/${name}: ${kubeErrorMessage(error)}`,
          data: {},
        }),
      );
    }
  }

  private async watchNamespace(namespace: string): Promise<void> {
    let watches = this.namespaces.get(namespace);
    if (!watches) {
      watches = watchWorkloads({
        clients: this.options.clients,
        namespace,
        labelSelector: this.selector,
        kind: "step",
        onJob: (verb, job) => this.onJob(verb, job),
        onPod: (verb, pod) => this.onPod(verb, pod),
        onWarning: (verb, event) => this.onEvent(verb, event),
        onEarlierWarning: (event) => this.rememberWarning(event),
        onError: (message) => process.stderr.write(`[bosun-k8s] ${message}\n`),
      });
      this.namespaces.set(namespace, watches);
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      watches.ready,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, 10_000))),
    ]);
    clearTimeout(timer);
  }

  private onJob(verb: WatchVerb, job: V1Job): void {
    const attempt = this.attempts.get(`${job.metadata?.namespace}/${job.metadata?.name}`);
    if (!attempt) return;
    if (verb === "delete") {
      attempt.settle({ kind: "deleted" });
      return;
    }
    const finished = job.status?.conditions?.some(
      (c) => (c.type === "Failed" || c.type === "Complete") && c.status === "True",
    );
    if (finished) attempt.settle({ kind: "finished", job });
  }

  private onPod(verb: WatchVerb, pod: V1Pod): void {
    if (verb === "delete") return;
    const namespace = pod.metadata?.namespace ?? "default";
    const jobName = jobNameOfPod(pod);
    const attempt = jobName === undefined ? undefined : this.attempts.get(`${namespace}/${jobName}`);
    if (!attempt || attempt.settled) return;
    const now = Date.now();
    for (const problem of podProblems(pod, this.policy)) {
      if (problem.kind !== "cannot-start") continue; // a crashed pod ends its Job; the Job's end decides
      const key = `${pod.metadata?.uid}/${problem.reason}/${problem.container ?? ""}`;
      const first = this.firstSeen.get(key) ?? now;
      this.firstSeen.set(key, first);
      const due = first + problem.graceMs - now;
      if (due > 0) {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          const current = this.namespaces.get(namespace)?.pods.get(pod.metadata?.name ?? "", namespace);
          if (current && !this.closed) this.onPod("update", current);
        }, due + 50);
        timer.unref();
        this.timers.add(timer);
        continue;
      }
      attempt.settle({ kind: "stuck", pod, problem });
      return;
    }
  }

  private rememberWarning(event: CoreV1Event): void {
    this.reportedWarnings.set(event.metadata?.uid ?? "", event.count ?? event.series?.count ?? 1);
  }

  private onEvent(verb: WatchVerb, event: CoreV1Event): void {
    if (verb === "delete" || event.type !== "Warning") return;
    const namespace = event.involvedObject.namespace ?? event.metadata?.namespace ?? "default";
    const name = event.involvedObject.name ?? "";
    const watches = this.namespaces.get(namespace);
    let jobName: string | undefined;
    if (event.involvedObject.kind === "Job") jobName = watches?.jobs.get(name, namespace) ? name : undefined;
    else if (event.involvedObject.kind === "Pod") {
      const pod = watches?.pods.get(name, namespace);
      jobName = pod
        ? jobNameOfPod(pod)
        : [...this.attempts.values()].find((a) => name.startsWith(`${a.jobName}-`))?.jobName;
    }
    if (jobName === undefined) return;
    const job = watches?.jobs.get(jobName, namespace);
    const stepKey =
      this.attempts.get(`${namespace}/${jobName}`)?.stepKey ??
      job?.spec?.template.spec?.containers[0]?.env?.find((e) => e.name === "BOSUN_STEP_KEY")?.value;
    if (stepKey === undefined) return;
    const uid = event.metadata?.uid ?? "";
    const count = event.count ?? event.series?.count ?? 1;
    if ((this.reportedWarnings.get(uid) ?? 0) >= count) return;
    this.reportedWarnings.set(uid, count);
    this.options.events.emit(
      newEvent(this.options.run.runId, "ENGINE_EVENT", {
        stepKey,
        level: "warning",
        message: `Kubernetes warning: ${formatWarningEvent(event)}`,
        data: {
          detail: {
            kind: event.involvedObject.kind ?? null,
            name,
            namespace,
            reason: event.reason ?? null,
            message: event.message ?? null,
            count,
          },
        },
      }),
    );
  }

  private podsOf(namespace: string, jobName: string): V1Pod[] {
    return (this.namespaces.get(namespace)?.pods.list() ?? []).filter(
      (pod) => jobNameOfPod(pod) === jobName && pod.metadata?.namespace === namespace,
    );
  }

  private warningsOf(namespace: string, jobName: string): CoreV1Event[] {
    const watches = this.namespaces.get(namespace);
    if (!watches) return [];
    const names = new Set([
      jobName,
      ...this.podsOf(namespace, jobName).map((pod) => pod.metadata?.name ?? ""),
    ]);
    return warningsAbout(watches.events.list(), names);
  }
}
