import { randomSuffix } from "../apiserver/defaults.ts";
import type { KObject } from "../store/k8s-object.ts";
import { matchesRequirements, requirementsFromLabelSelector } from "../store/selectors.ts";
import type { ControllerContext } from "./controller.ts";
import { controllerOf, isPodReady, isTerminal, podFromTemplate } from "./owners.ts";
import { OwningController } from "./owning-controller.ts";

/** Keeps `spec.replicas` live pods for each ReplicaSet; replaces pods that failed or were deleted. */
type Any = Record<string, any>;

export class ReplicaSetController extends OwningController {
  readonly name = "replicaset";
  constructor(ctx: ControllerContext) {
    super(ctx, { apiVersion: "apps/v1", kind: "ReplicaSet" }, { apiVersion: "v1", kind: "Pod" });
  }

  protected reconcileOwner(rs: Any, namespace: string | undefined, name: string): void {
    const { registry, events } = this.ctx;
    const selector = requirementsFromLabelSelector(rs.spec.selector);
    const owned = registry.store
      .scan(this.children, namespace)
      .filter((p) => controllerOf(p) === rs.metadata.uid && matchesRequirements(p.metadata.labels, selector));
    for (const pod of owned) {
      if (pod.status?.phase === "Failed" && !pod.metadata.deletionTimestamp) {
        registry.delete(this.children, namespace, pod.metadata.name!, { gracePeriodSeconds: 0 });
      }
    }
    const active = owned.filter((p) => !p.metadata.deletionTimestamp && !isTerminal(p));
    const wanted: number = rs.spec.replicas ?? 1;
    if (active.length < wanted) {
      for (let i = active.length; i < wanted; i++) {
        const podName = `${name}-${randomSuffix()}`;
        try {
          registry.create(this.children, namespace, podFromTemplate(rs as KObject, podName));
          events.record(rs, "Normal", "SuccessfulCreate", `Created pod: ${podName}`, "replicaset-controller");
        } catch (error) {
          events.record(
            rs,
            "Warning",
            "FailedCreate",
            `Error creating: ${(error as Error).message}`,
            "replicaset-controller",
          );
          break;
        }
      }
    } else if (active.length > wanted) {
      // Delete the least useful pods first: unscheduled, then not ready, then the newest.
      const rank = (p: KObject) => (p.spec?.nodeName ? 2 : 0) + (isPodReady(p) ? 1 : 0);
      const victims = [...active]
        .sort(
          (a, b) =>
            rank(a) - rank(b) ||
            (b.metadata.creationTimestamp ?? "").localeCompare(a.metadata.creationTimestamp ?? ""),
        )
        .slice(0, active.length - wanted);
      for (const pod of victims) {
        registry.delete(this.children, namespace, pod.metadata.name!, {});
        events.record(
          rs,
          "Normal",
          "SuccessfulDelete",
          `Deleted pod: ${pod.metadata.name}`,
          "replicaset-controller",
        );
      }
    }
    const live = registry.store
      .scan(this.children, namespace)
      .filter((p) => controllerOf(p) === rs.metadata.uid && !p.metadata.deletionTimestamp && !isTerminal(p));
    const ready = live.filter(isPodReady).length;
    const status = {
      ...(rs.status ?? {}),
      replicas: live.length,
      fullyLabeledReplicas: live.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: rs.metadata.generation,
    };
    for (const f of ["readyReplicas", "availableReplicas", "fullyLabeledReplicas"] as const)
      if (status[f] === 0) delete (status as Any)[f];
    this.writeStatus(rs, status, namespace, name);
  }
}
