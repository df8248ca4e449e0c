import { clone, type KObject } from "../store/k8s-object.ts";
import type { ControllerContext } from "./controller.ts";
import { controllerOf, isPodReady, isTerminal, ownerReference } from "./owners.ts";
import { OwningController } from "./owning-controller.ts";
import { podTemplateHash } from "./pod-template-hash.ts";

/**
 * StatefulSet controller: pods `<name>-0 … <name>-(n-1)` with stable hostnames under the
 * governing service, created in order (each waits for the previous to be Ready under
 * OrderedReady), removed from the highest ordinal, and replaced one at a time (highest first)
 * when the template changes. `volumeClaimTemplates` become PersistentVolumeClaims
 * `<claim>-<pod>`, which the kubelet backs with a directory.
 */
type Any = Record<string, any>;

export class StatefulSetController extends OwningController {
  readonly name = "statefulset";
  constructor(ctx: ControllerContext) {
    super(ctx, { apiVersion: "apps/v1", kind: "StatefulSet" }, { apiVersion: "v1", kind: "Pod" });
  }

  protected reconcileOwner(set: Any, namespace: string | undefined, name: string): void {
    const { registry, events } = this.ctx;
    const revision = `${name}-${podTemplateHash(set.spec.template)}`;
    const replicas: number = set.spec.replicas ?? 1;
    const parallel = set.spec.podManagementPolicy === "Parallel";
    const owned = new Map(
      registry.store
        .scan(this.children, namespace)
        .filter((p) => controllerOf(p) === set.metadata.uid)
        .map((p) => [p.metadata.name!, p]),
    );
    for (let i = 0; i < replicas; i++) {
      const podName = `${name}-${i}`;
      const pod = owned.get(podName);
      if (pod) {
        if (pod.status?.phase === "Failed" && !pod.metadata.deletionTimestamp)
          registry.delete(this.children, namespace, podName, { gracePeriodSeconds: 0 });
        if (!parallel && !isPodReady(pod)) break;
        continue;
      }
      this.createClaims(set, podName);
      const template = clone(set.spec.template ?? {}) as Any;
      try {
        registry.create(this.children, namespace, {
          apiVersion: "v1",
          kind: "Pod",
          metadata: {
            ...(template.metadata ?? {}),
            name: podName,
            namespace,
            labels: {
              ...(template.metadata?.labels ?? {}),
              "statefulset.kubernetes.io/pod-name": podName,
              "apps.kubernetes.io/pod-index": String(i),
              "controller-revision-hash": revision,
            },
            ownerReferences: [ownerReference(set as KObject)],
          },
          spec: {
            ...template.spec,
            hostname: podName,
            subdomain: set.spec.serviceName,
            volumes: [
              ...(template.spec?.volumes ?? []),
              ...((set.spec.volumeClaimTemplates ?? []) as Any[]).map((c) => ({
                name: c.metadata.name,
                persistentVolumeClaim: { claimName: `${c.metadata.name}-${podName}` },
              })),
            ],
          },
        });
        events.record(
          set,
          "Normal",
          "SuccessfulCreate",
          `create Pod ${podName} in StatefulSet ${name} successful`,
          "statefulset-controller",
        );
      } catch (error) {
        events.record(
          set,
          "Warning",
          "FailedCreate",
          `create Pod ${podName} in StatefulSet ${name} failed error: ${(error as Error).message}`,
          "statefulset-controller",
        );
      }
      if (!parallel) break;
    }
    // Scale down from the highest ordinal; replace outdated pods one at a time, highest first.
    const ordinals = [...owned.values()].sort((a, b) => ordinal(b) - ordinal(a));
    for (const pod of ordinals) {
      if (ordinal(pod) >= replicas && !pod.metadata.deletionTimestamp) {
        registry.delete(this.children, namespace, pod.metadata.name!, {});
        events.record(
          set,
          "Normal",
          "SuccessfulDelete",
          `delete Pod ${pod.metadata.name} in StatefulSet ${name} successful`,
          "statefulset-controller",
        );
        if (!parallel) break;
      }
    }
    const inRange = ordinals.filter((p) => ordinal(p) < replicas);
    const outdated = inRange.find((p) => p.metadata.labels?.["controller-revision-hash"] !== revision);
    if (
      outdated &&
      inRange.every((p) => isPodReady(p) || p === outdated) &&
      !outdated.metadata.deletionTimestamp
    ) {
      registry.delete(this.children, namespace, outdated.metadata.name!, {});
    }
    const live = registry.store
      .scan(this.children, namespace)
      .filter((p) => controllerOf(p) === set.metadata.uid && !isTerminal(p) && !p.metadata.deletionTimestamp);
    const ready = live.filter(isPodReady).length;
    const status: Any = {
      observedGeneration: set.metadata.generation,
      replicas: live.length,
      readyReplicas: ready,
      availableReplicas: ready,
      currentReplicas: live.filter((p) => p.metadata.labels?.["controller-revision-hash"] === revision)
        .length,
      updatedReplicas: live.filter((p) => p.metadata.labels?.["controller-revision-hash"] === revision)
        .length,
      currentRevision: revision,
      updateRevision: revision,
      collisionCount: 0,
    };
    for (const f of ["readyReplicas", "currentReplicas", "updatedReplicas"])
      if (status[f] === 0) delete status[f];
    this.writeStatus(set, status, namespace, name);
  }

  private createClaims(set: Any, podName: string): void {
    const claims = this.ctx.type("v1", "PersistentVolumeClaim");
    for (const template of (set.spec.volumeClaimTemplates ?? []) as Any[]) {
      const claimName = `${template.metadata.name}-${podName}`;
      if (this.ctx.registry.store.peek(claims, set.metadata.namespace, claimName)) continue;
      this.ctx.registry.create(claims, set.metadata.namespace, {
        metadata: { name: claimName, labels: set.spec.selector?.matchLabels ?? {} },
        spec: template.spec,
      });
    }
  }
}

function ordinal(pod: KObject): number {
  const m = /-(\d+)$/.exec(pod.metadata.name ?? "");
  return m ? Number(m[1]) : -1;
}
