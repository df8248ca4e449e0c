import { clone, type KObject, now } from "../store/k8s-object.ts";
import type { StoreEvent } from "../store/object-store.ts";
import { type Controller, type ControllerContext, splitKey } from "./controller.ts";

/**
 * Scheduler: binds each unscheduled pod to a Ready node whose labels satisfy the pod's
 * `nodeSelector` and required node affinity and whose taints the pod tolerates. A pod no node
 * fits stays Pending with `PodScheduled=False` (reason `Unschedulable`) and a FailedScheduling
 * event, and is retried on every resync.
 */
type Any = Record<string, any>;

export class Scheduler implements Controller {
  readonly name = "scheduler";
  private readonly reported = new Map<string, string>();

  constructor(private readonly ctx: ControllerContext) {}

  private get pods() {
    return this.ctx.type("v1", "Pod");
  }

  keysFor(event: StoreEvent): string[] {
    if (event.resource.kind === "Pod" && event.type !== "DELETED" && !event.object.spec?.nodeName)
      return [`${event.object.metadata.namespace}/${event.object.metadata.name}`];
    if (event.resource.kind === "Pod" && event.type === "DELETED")
      this.reported.delete(event.object.metadata.uid!);
    if (event.resource.kind === "Node") return this.allKeys();
    return [];
  }

  allKeys(): string[] {
    return this.ctx.registry.store
      .scan(this.pods)
      .filter((p) => !p.spec?.nodeName && !p.metadata.deletionTimestamp)
      .map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
  }

  reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const { registry, events } = this.ctx;
    const stored = registry.store.peek(this.pods, namespace, name);
    if (!stored || stored.spec?.nodeName || stored.metadata.deletionTimestamp) return;
    const pod = clone(stored) as Any;
    const nodes = registry.store.scan(this.ctx.type("v1", "Node")) as Any[];
    const reasons = new Map<string, number>();
    const fits: Any[] = [];
    for (const node of nodes) {
      const why = this.misfit(pod, node);
      if (why) reasons.set(why, (reasons.get(why) ?? 0) + 1);
      else fits.push(node);
    }
    const timestamp = now();
    const conditions = ((pod.status?.conditions ?? []) as Any[]).filter((c) => c.type !== "PodScheduled");
    if (fits.length > 0) {
      const node = fits[0]!;
      pod.spec.nodeName = node.metadata.name;
      pod.status = {
        ...(pod.status ?? {}),
        conditions: [
          ...conditions,
          { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: timestamp },
        ],
      };
      registry.store.replace(this.pods, pod as KObject);
      events.record(
        registry.get(this.pods, namespace, name),
        "Normal",
        "Scheduled",
        `Successfully assigned ${namespace}/${name} to ${node.metadata.name}`,
        "default-scheduler",
      );
      return;
    }
    const detail = [...reasons].map(([why, n]) => `${n} ${why}`).join(", ");
    const message = `0/${nodes.length} nodes are available${detail ? `: ${detail}` : ""}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`;
    if (this.reported.get(pod.metadata.uid) === message) return;
    this.reported.set(pod.metadata.uid, message);
    pod.status = {
      ...(pod.status ?? {}),
      phase: "Pending",
      conditions: [
        ...conditions,
        {
          type: "PodScheduled",
          status: "False",
          reason: "Unschedulable",
          message,
          lastProbeTime: null,
          lastTransitionTime: timestamp,
        },
      ],
    };
    registry.store.replace(this.pods, pod as KObject);
    events.record(
      registry.get(this.pods, namespace, name),
      "Warning",
      "FailedScheduling",
      message,
      "default-scheduler",
    );
  }

  /** Why `node` cannot run `pod` (phrased like the scheduler's summary), or undefined if it can. */
  private misfit(pod: Any, node: Any): string | undefined {
    const labels: Record<string, string> = node.metadata.labels ?? {};
    const ready = (node.status?.conditions ?? []).some((c: Any) => c.type === "Ready" && c.status === "True");
    if (!ready) return "node(s) were not ready";
    if (node.spec?.unschedulable) return "node(s) were unschedulable";
    for (const [k, v] of Object.entries((pod.spec.nodeSelector ?? {}) as Record<string, string>)) {
      if (labels[k] !== v) return "node(s) didn't match Pod's node affinity/selector";
    }
    const required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
      ?.nodeSelectorTerms as Any[] | undefined;
    if (required && required.length > 0 && !required.some((term) => termMatches(term, labels)))
      return "node(s) didn't match Pod's node affinity/selector";
    for (const taint of (node.spec?.taints ?? []) as Any[]) {
      if (taint.effect !== "NoSchedule" && taint.effect !== "NoExecute") continue;
      const tolerated = ((pod.spec.tolerations ?? []) as Any[]).some(
        (t) =>
          (t.key === undefined || t.key === "" ? t.operator === "Exists" : t.key === taint.key) &&
          (t.operator === "Exists" || (t.value ?? "") === (taint.value ?? "")) &&
          (t.effect === undefined || t.effect === "" || t.effect === taint.effect),
      );
      if (!tolerated) return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ""}}`;
    }
    return undefined;
  }
}

function termMatches(term: Any, labels: Record<string, string>): boolean {
  return ((term.matchExpressions ?? []) as Any[]).every((e) => {
    const has = Object.hasOwn(labels, e.key);
    const value = labels[e.key];
    switch (e.operator) {
      case "In":
        return has && (e.values ?? []).includes(value);
      case "NotIn":
        return !has || !(e.values ?? []).includes(value);
      case "Exists":
        return has;
      case "DoesNotExist":
        return !has;
      case "Gt":
        return has && Number(value) > Number(e.values?.[0]);
      case "Lt":
        return has && Number(value) < Number(e.values?.[0]);
      default:
        return false;
    }
  });
}
