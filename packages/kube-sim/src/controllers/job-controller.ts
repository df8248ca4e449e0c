import { randomSuffix } from "../apiserver/defaults.ts";
import { clone, type KObject, now } from "../store/k8s-object.ts";
import type { StoreEvent } from "../store/object-store.ts";
import type { ControllerContext } from "./controller.ts";
import { controllerOf, isPodReady, isTerminal, podFromTemplate } from "./owners.ts";
import { OwningController } from "./owning-controller.ts";

/**
 * Job controller. A Job runs pods from its template until `completions` pods succeeded
 * (→ `Complete`), more than `backoffLimit` failed (→ `Failed`, BackoffLimitExceeded) or it was
 * active longer than `activeDeadlineSeconds` (→ `Failed`, DeadlineExceeded). A failed pod is
 * replaced after an exponential back-off. Succeeded/failed pods are counted once, by uid, so
 * counts survive the pods being deleted.
 */
type Any = Record<string, any>;

interface Tally {
  readonly succeeded: Set<string>;
  readonly failed: Set<string>;
  lastFailure: number;
}

export class JobController extends OwningController {
  readonly name = "job";
  private readonly tallies = new Map<string, Tally>();

  constructor(ctx: ControllerContext) {
    super(ctx, { apiVersion: "batch/v1", kind: "Job" }, { apiVersion: "v1", kind: "Pod" });
  }

  override keysFor(event: StoreEvent): string[] {
    // A deleted Job's tally would otherwise stay in memory for the life of the sim.
    if (event.resource.kind === "Job" && event.type === "DELETED")
      this.tallies.delete(event.object.metadata.uid!);
    return super.keysFor(event);
  }

  /** Unfinished Jobs, so that back-off and `activeDeadlineSeconds` fire on the resync. */
  override allKeys(): string[] {
    return this.ctx.registry.store
      .scan(this.owners)
      .filter((j) => !finishedCondition(j))
      .map((j) => `${j.metadata.namespace}/${j.metadata.name}`);
  }

  protected reconcileOwner(job: Any, namespace: string | undefined, name: string): void {
    const { registry, events } = this.ctx;
    const uid = job.metadata.uid as string;
    const pods = registry.store.scan(this.children, namespace).filter((p) => controllerOf(p) === uid);
    let tally = this.tallies.get(uid);
    if (!tally) {
      tally = { succeeded: new Set(), failed: new Set(), lastFailure: 0 };
      this.tallies.set(uid, tally);
    }
    for (const pod of pods) {
      if (pod.status?.phase === "Succeeded") tally.succeeded.add(pod.metadata.uid!);
      if (pod.status?.phase === "Failed" && !tally.failed.has(pod.metadata.uid!)) {
        tally.failed.add(pod.metadata.uid!);
        tally.lastFailure = Date.now();
      }
    }
    const spec = job.spec as Any;
    const status = clone((job.status ?? {}) as Any);
    const succeeded = Math.max(tally.succeeded.size, status.succeeded ?? 0);
    const active = pods.filter((p) => !isTerminal(p) && !p.metadata.deletionTimestamp);
    const restarts =
      spec.template?.spec?.restartPolicy === "OnFailure"
        ? active.reduce(
            (n, p) =>
              n +
              ((p.status?.containerStatuses as Any[] | undefined) ?? []).reduce(
                (m, c) => m + (c.restartCount ?? 0),
                0,
              ),
            0,
          )
        : 0;
    const failed = Math.max(tally.failed.size, status.failed ?? 0);
    const completions: number = spec.completions ?? 1;
    const finished = finishedCondition(job);

    if (!finished && !spec.suspend) {
      status.startTime ??= now();
      const deadline = spec.activeDeadlineSeconds as number | undefined;
      const timestamp = now();
      let failure: { reason: string; message: string } | undefined;
      if (failed + restarts > (spec.backoffLimit ?? 6))
        failure = { reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit" };
      else if (deadline !== undefined && Date.now() - Date.parse(status.startTime) >= deadline * 1000)
        failure = { reason: "DeadlineExceeded", message: "Job was active longer than specified deadline" };
      if (succeeded >= completions) {
        status.conditions = [
          ...(status.conditions ?? []),
          {
            type: "SuccessCriteriaMet",
            status: "True",
            reason: "CompletionsReached",
            message: "Reached expected number of succeeded pods",
            lastProbeTime: timestamp,
            lastTransitionTime: timestamp,
          },
          {
            type: "Complete",
            status: "True",
            reason: "CompletionsReached",
            message: "Reached expected number of succeeded pods",
            lastProbeTime: timestamp,
            lastTransitionTime: timestamp,
          },
        ];
        status.completionTime = timestamp;
        events.record(job, "Normal", "Completed", "Job completed", "job-controller");
      } else if (failure) {
        status.conditions = [
          ...(status.conditions ?? []),
          {
            type: "FailureTarget",
            status: "True",
            ...failure,
            lastProbeTime: timestamp,
            lastTransitionTime: timestamp,
          },
          {
            type: "Failed",
            status: "True",
            ...failure,
            lastProbeTime: timestamp,
            lastTransitionTime: timestamp,
          },
        ];
        events.record(job, "Warning", failure.reason, failure.message, "job-controller");
      }
    }

    const nowFinished = finishedCondition({ status } as Any);
    if (nowFinished || spec.suspend) {
      for (const pod of active) this.deletePod(job, pod);
    } else {
      const parallelism: number = spec.parallelism ?? 1;
      const wanted = Math.min(parallelism, completions - succeeded) - active.length;
      const backoff =
        tally.failed.size > 0
          ? Math.min(this.ctx.timing.jobBackoffMs * 2 ** (tally.failed.size - 1), 360_000)
          : 0;
      const waiting = Date.now() - tally.lastFailure < backoff;
      for (let i = 0; i < wanted && !waiting; i++) this.createPod(job);
    }
    const livePods = registry.store.scan(this.children, namespace).filter((p) => controllerOf(p) === uid);
    const liveActive = livePods.filter((p) => !isTerminal(p) && !p.metadata.deletionTimestamp);
    status.active = liveActive.length;
    status.ready = liveActive.filter(isPodReady).length;
    status.terminating = livePods.filter((p) => p.metadata.deletionTimestamp && !isTerminal(p)).length;
    status.succeeded = succeeded;
    status.failed = failed;
    status.uncountedTerminatedPods = {};
    for (const field of ["active", "succeeded", "failed"]) if (status[field] === 0) delete status[field];
    this.writeStatus(job, status, namespace, name);
  }

  private createPod(job: Any): void {
    const name = `${job.metadata.name}-${randomSuffix()}`;
    try {
      this.ctx.registry.create(this.children, job.metadata.namespace, podFromTemplate(job as KObject, name));
      this.ctx.events.record(
        job as KObject,
        "Normal",
        "SuccessfulCreate",
        `Created pod: ${name}`,
        "job-controller",
      );
    } catch (error) {
      this.ctx.events.record(
        job as KObject,
        "Warning",
        "FailedCreate",
        `Error creating: ${(error as Error).message}`,
        "job-controller",
      );
    }
  }

  private deletePod(job: Any, pod: KObject): void {
    try {
      this.ctx.registry.delete(this.children, pod.metadata.namespace, pod.metadata.name!, {});
      this.ctx.events.record(
        job as KObject,
        "Normal",
        "SuccessfulDelete",
        `Deleted pod: ${pod.metadata.name}`,
        "job-controller",
      );
    } catch {
      // Already gone.
    }
  }
}

export function finishedCondition(job: { status?: Any }): string | undefined {
  const condition = (job.status?.conditions as Any[] | undefined)?.find(
    (c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True",
  );
  return condition?.type;
}
