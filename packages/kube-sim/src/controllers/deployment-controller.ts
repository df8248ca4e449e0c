import { clone, type KObject, now } from "../store/k8s-object.ts";
import type { ControllerContext } from "./controller.ts";
import { controllerOf, ownerReference } from "./owners.ts";
import { OwningController } from "./owning-controller.ts";
import { podTemplateHash } from "./pod-template-hash.ts";

/**
 * Deployment controller. The ReplicaSet whose template equals the Deployment's (labelled with
 * `pod-template-hash`) is the new one and is scaled to `spec.replicas`; older ones are scaled
 * to zero once the new one is fully ready (RollingUpdate) or straight away (Recreate). A
 * template change, such as a checksum annotation, therefore replaces every pod.
 */
type Any = Record<string, any>;

const REVISION = "deployment.kubernetes.io/revision";

export class DeploymentController extends OwningController {
  readonly name = "deployment";
  constructor(ctx: ControllerContext) {
    super(ctx, { apiVersion: "apps/v1", kind: "Deployment" }, { apiVersion: "apps/v1", kind: "ReplicaSet" });
  }

  protected reconcileOwner(deployment: Any, namespace: string | undefined, name: string): void {
    const { registry, events } = this.ctx;
    const owned = registry.store
      .scan(this.children, namespace)
      .filter((rs) => controllerOf(rs) === deployment.metadata.uid) as Any[];
    const hash = podTemplateHash(deployment.spec.template);
    const replicas: number = deployment.spec.replicas ?? 1;
    let current = owned.find((rs) => rs.metadata.labels?.["pod-template-hash"] === hash);
    const maxRevision = Math.max(0, ...owned.map((rs) => Number(rs.metadata.annotations?.[REVISION] ?? 0)));
    if (!current) {
      const template = clone(deployment.spec.template) as Any;
      template.metadata ??= {};
      template.metadata.labels = { ...(template.metadata.labels ?? {}), "pod-template-hash": hash };
      const selector = clone(deployment.spec.selector) as Any;
      selector.matchLabels = { ...(selector.matchLabels ?? {}), "pod-template-hash": hash };
      const rsName = `${name}-${hash}`;
      current = registry.create(this.children, namespace, {
        apiVersion: "apps/v1",
        kind: "ReplicaSet",
        metadata: {
          name: rsName,
          namespace,
          labels: template.metadata.labels,
          annotations: {
            [REVISION]: String(maxRevision + 1),
            "deployment.kubernetes.io/desired-replicas": String(replicas),
          },
          ownerReferences: [ownerReference(deployment as KObject)],
        },
        spec: { replicas, selector, template, minReadySeconds: deployment.spec.minReadySeconds },
      }) as Any;
      events.record(
        deployment,
        "Normal",
        "ScalingReplicaSet",
        `Scaled up replica set ${rsName} from 0 to ${replicas}`,
        "deployment-controller",
      );
    } else if (current.spec.replicas !== replicas) {
      this.scale(current, replicas, deployment);
    }
    const old = owned.filter((rs) => rs.metadata.uid !== current!.metadata.uid);
    const newReady = current.status?.readyReplicas ?? 0;
    const recreate = deployment.spec.strategy?.type === "Recreate";
    if (recreate || newReady >= replicas) {
      for (const rs of old) if ((rs.spec.replicas ?? 0) !== 0) this.scale(rs, 0, deployment);
    }
    const all = [current, ...old];
    const sum = (f: (rs: Any) => number) => all.reduce((n, rs) => n + f(rs), 0);
    const status: Any = {
      observedGeneration: deployment.metadata.generation,
      replicas: sum((rs) => rs.status?.replicas ?? 0),
      updatedReplicas: current.status?.replicas ?? 0,
      readyReplicas: sum((rs) => rs.status?.readyReplicas ?? 0),
      availableReplicas: sum((rs) => rs.status?.availableReplicas ?? 0),
    };
    status.unavailableReplicas = Math.max(0, replicas - status.availableReplicas);
    const timestamp = now();
    const previous = (deployment.status?.conditions ?? []) as Any[];
    const condition = (type: string, ok: boolean, reason: string, message: string) => {
      const before = previous.find((c) => c.type === type);
      const same = before && before.status === (ok ? "True" : "False") && before.reason === reason;
      return {
        type,
        status: ok ? "True" : "False",
        reason,
        message,
        lastUpdateTime: same ? before.lastUpdateTime : timestamp,
        lastTransitionTime: same ? before.lastTransitionTime : timestamp,
      };
    };
    const available = status.availableReplicas >= replicas;
    const complete =
      available && status.updatedReplicas === replicas && old.every((rs) => (rs.status?.replicas ?? 0) === 0);
    status.conditions = [
      condition(
        "Available",
        available,
        available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
        available ? "Deployment has minimum availability." : "Deployment does not have minimum availability.",
      ),
      condition(
        "Progressing",
        true,
        complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
        complete
          ? `ReplicaSet "${current.metadata.name}" has successfully progressed.`
          : `ReplicaSet "${current.metadata.name}" is progressing.`,
      ),
    ];
    for (const f of [
      "replicas",
      "updatedReplicas",
      "readyReplicas",
      "availableReplicas",
      "unavailableReplicas",
    ])
      if (status[f] === 0) delete status[f];
    const annotations = { ...(deployment.metadata.annotations ?? {}) };
    const revision = current.metadata.annotations?.[REVISION];
    if (revision && annotations[REVISION] !== revision) {
      annotations[REVISION] = revision;
      const store = registry.store;
      const stored = clone(store.peek(this.owners, namespace, name)!);
      stored.metadata.annotations = annotations;
      store.replace(this.owners, stored);
    }
    const fresh = registry.get(this.owners, namespace, name) as Any;
    this.writeStatus(fresh, status, namespace, name);
  }

  private scale(rs: Any, replicas: number, deployment: Any): void {
    const from = rs.spec.replicas ?? 0;
    this.ctx.registry.patch(
      this.children,
      rs.metadata.namespace,
      rs.metadata.name,
      "merge",
      JSON.stringify({ spec: { replicas } }),
    );
    this.ctx.events.record(
      deployment,
      "Normal",
      "ScalingReplicaSet",
      `Scaled ${replicas > from ? "up" : "down"} replica set ${rs.metadata.name} from ${from} to ${replicas}`,
      "deployment-controller",
    );
  }
}
