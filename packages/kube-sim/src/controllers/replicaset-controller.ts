import { randomSuffix } from "../apiserver/defaults.ts";
import { clone, type KObject } from "../store/k8s-object.ts";
import type { StoreEvent } from "../store/object-store.ts";
import { matchesRequirements, requirementsFromLabelSelector } from "../store/selectors.ts";
import { type Controller, type ControllerContext, splitKey } from "./controller.ts";
import { controllerOf, isPodReady, isTerminal, ownerReference } from "./owners.ts";

/** Keeps `spec.replicas` live pods for each ReplicaSet; replaces pods that failed or were deleted. */
type Any = Record<string, any>;

export class ReplicaSetController implements Controller {
  readonly name = "replicaset";
  constructor(private readonly ctx: ControllerContext) {}

  private get sets() {
    return this.ctx.type("apps/v1", "ReplicaSet");
  }
  private get pods() {
    return this.ctx.type("v1", "Pod");
  }

  keysFor(event: StoreEvent): string[] {
    if (event.resource.kind === "ReplicaSet")
      return [`${event.object.metadata.namespace}/${event.object.metadata.name}`];
    if (event.resource.kind === "Pod") {
      const owner = event.object.metadata.ownerReferences?.find(
        (r) => r.controller && r.kind === "ReplicaSet",
      );
      if (owner) return [`${event.object.metadata.namespace}/${owner.name}`];
    }
    return [];
  }

  allKeys(): string[] {
    return [];
  }

  reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const { registry, events } = this.ctx;
    if (!registry.store.peek(this.sets, namespace, name)) return;
    const rs = registry.get(this.sets, namespace, name) as Any;
    if (rs.metadata.deletionTimestamp) return;
    const selector = requirementsFromLabelSelector(rs.spec.selector);
    const owned = registry.store
      .scan(this.pods, namespace)
      .filter((p) => controllerOf(p) === rs.metadata.uid && matchesRequirements(p.metadata.labels, selector));
    for (const pod of owned) {
      if (pod.status?.phase === "Failed" && !pod.metadata.deletionTimestamp) {
        registry.delete(this.pods, namespace, pod.metadata.name!, { gracePeriodSeconds: 0 });
      }
    }
    const active = owned.filter((p) => !p.metadata.deletionTimestamp && !isTerminal(p));
    const wanted: number = rs.spec.replicas ?? 1;
    if (active.length < wanted) {
      for (let i = active.length; i < wanted; i++) {
        const template = clone(rs.spec.template ?? {}) as Any;
        const podName = `${name}-${randomSuffix()}`;
        try {
          registry.create(this.pods, namespace, {
            apiVersion: "v1",
            kind: "Pod",
            metadata: {
              ...(template.metadata ?? {}),
              name: podName,
              namespace,
              ownerReferences: [ownerReference(rs as KObject)],
            },
            spec: template.spec,
          });
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
        registry.delete(this.pods, namespace, pod.metadata.name!, {});
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
      .scan(this.pods, namespace)
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
    if (JSON.stringify(status) !== JSON.stringify(rs.status ?? {}))
      registry.update(this.sets, namespace, name, { ...rs, status }, "status");
  }
}
