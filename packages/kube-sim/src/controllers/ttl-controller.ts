import type { StoreEvent } from "../store/object-store.ts";
import { type Controller, type ControllerContext, splitKey } from "./controller.ts";
import { finishedCondition } from "./job-controller.ts";

/** Deletes finished Jobs (and, in the foreground, their pods) `ttlSecondsAfterFinished` after they finished. */
type Any = Record<string, any>;

export class TtlAfterFinishedController implements Controller {
  readonly name = "ttl-after-finished";
  constructor(private readonly ctx: ControllerContext) {}

  private get jobs() {
    return this.ctx.type("batch/v1", "Job");
  }

  keysFor(event: StoreEvent): string[] {
    if (event.resource.kind === "Job" && event.type !== "DELETED")
      return [`${event.object.metadata.namespace}/${event.object.metadata.name}`];
    return [];
  }

  allKeys(): string[] {
    return this.ctx.registry.store
      .scan(this.jobs)
      .filter(
        (j) =>
          j.spec?.ttlSecondsAfterFinished !== undefined &&
          finishedCondition(j as Any) &&
          !j.metadata.deletionTimestamp,
      )
      .map((j) => `${j.metadata.namespace}/${j.metadata.name}`);
  }

  reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const job = this.ctx.registry.store.peek(this.jobs, namespace, name) as Any | undefined;
    if (!job || job.metadata.deletionTimestamp) return;
    const ttl = job.spec?.ttlSecondsAfterFinished as number | undefined;
    if (ttl === undefined || !finishedCondition(job)) return;
    const conditions = (job.status?.conditions ?? []) as Any[];
    const finishedAt = Date.parse(
      job.status?.completionTime ??
        conditions.find((c) => c.type === "Failed" || c.type === "Complete")?.lastTransitionTime ??
        new Date().toISOString(),
    );
    if (Date.now() >= finishedAt + ttl * 1000) {
      this.ctx.registry.delete(this.jobs, namespace, name, { propagationPolicy: "Foreground" });
    }
  }
}
