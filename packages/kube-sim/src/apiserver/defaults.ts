import { randomBytes } from "node:crypto";
import type { ResourceType } from "../resources/resource-types.ts";
import type { KObject } from "../store/k8s-object.ts";

/**
 * Defaulting as the API server applies it on every write (the subset Bosun's workloads and the
 * controllers here rely on).
 */
type Any = Record<string, any>;

const NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** The five-character random suffix used by `generateName` and controllers. */
export function randomSuffix(length = 5): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const b of bytes) out += NAME_ALPHABET[b % NAME_ALPHABET.length];
  return out;
}

function containerDefaults(container: Any): void {
  container.terminationMessagePath ??= "/dev/termination-log";
  container.terminationMessagePolicy ??= "File";
  container.resources ??= {};
  if (container.imagePullPolicy === undefined && typeof container.image === "string") {
    const tagged = /:[^/]+$/.test(container.image) || container.image.includes("@");
    container.imagePullPolicy = !tagged || container.image.endsWith(":latest") ? "Always" : "IfNotPresent";
  }
  for (const port of container.ports ?? []) port.protocol ??= "TCP";
  for (const env of container.env ?? []) {
    if (env.valueFrom?.fieldRef) env.valueFrom.fieldRef.apiVersion ??= "v1";
  }
}

export function podSpecDefaults(spec: Any | undefined): void {
  if (!spec) return;
  spec.restartPolicy ??= "Always";
  spec.dnsPolicy ??= "ClusterFirst";
  spec.schedulerName ??= "default-scheduler";
  spec.terminationGracePeriodSeconds ??= 30;
  spec.securityContext ??= {};
  spec.enableServiceLinks ??= true;
  for (const c of spec.containers ?? []) containerDefaults(c);
  for (const c of spec.initContainers ?? []) containerDefaults(c);
  for (const v of spec.volumes ?? []) {
    if (v.configMap) v.configMap.defaultMode ??= 0o644;
    if (v.secret) v.secret.defaultMode ??= 0o644;
  }
}

function clusterIPs(): () => string {
  let next = 10;
  return () => {
    const n = next++;
    return `10.96.${Math.floor(n / 250)}.${(n % 250) + 1}`;
  };
}

export class Defaulter {
  private readonly nextClusterIP = clusterIPs();
  private readonly usedClusterIPs = new Set<string>(["10.96.0.1"]);

  allocateClusterIP(): string {
    for (;;) {
      const ip = this.nextClusterIP();
      if (!this.usedClusterIPs.has(ip)) {
        this.usedClusterIPs.add(ip);
        return ip;
      }
    }
  }

  releaseClusterIP(ip: string | undefined): void {
    if (ip) this.usedClusterIPs.delete(ip);
  }

  /** Applies defaults to `object` in place. `isCreate` enables one-time allocations. */
  apply(type: ResourceType, object: KObject, isCreate: boolean): void {
    const o = object as Any;
    const spec = o.spec as Any | undefined;
    switch (type.kind) {
      case "Pod":
        podSpecDefaults(spec);
        if (spec) {
          spec.serviceAccountName ??= spec.serviceAccount ?? "default";
          spec.serviceAccount = spec.serviceAccountName;
          spec.priority ??= 0;
          spec.tolerations ??= [];
        }
        o.status ??= { phase: "Pending", qosClass: "BestEffort" };
        break;
      case "Job":
        if (!spec) break;
        spec.backoffLimit ??= 6;
        spec.completionMode ??= "NonIndexed";
        spec.suspend ??= false;
        spec.podReplacementPolicy ??= "TerminatingOrFailed";
        if (spec.completions === undefined) spec.completions = spec.parallelism === undefined ? 1 : null;
        if (spec.completions === null) delete spec.completions;
        spec.parallelism ??= 1;
        if (isCreate && spec.manualSelector !== true) {
          const uid = object.metadata.uid!;
          const labels = {
            "batch.kubernetes.io/controller-uid": uid,
            "batch.kubernetes.io/job-name": object.metadata.name!,
            "controller-uid": uid,
            "job-name": object.metadata.name!,
          };
          spec.selector = { matchLabels: { "batch.kubernetes.io/controller-uid": uid } };
          spec.template ??= {};
          spec.template.metadata ??= {};
          spec.template.metadata.labels = { ...(spec.template.metadata.labels ?? {}), ...labels };
        }
        podSpecDefaults(spec.template?.spec);
        o.status ??= {};
        break;
      case "CronJob":
        if (!spec) break;
        spec.concurrencyPolicy ??= "Allow";
        spec.suspend ??= false;
        spec.successfulJobsHistoryLimit ??= 3;
        spec.failedJobsHistoryLimit ??= 1;
        podSpecDefaults(spec.jobTemplate?.spec?.template?.spec);
        break;
      case "Deployment":
        if (!spec) break;
        spec.replicas ??= 1;
        spec.revisionHistoryLimit ??= 10;
        spec.progressDeadlineSeconds ??= 600;
        spec.strategy ??= { type: "RollingUpdate" };
        if (spec.strategy.type === undefined) spec.strategy.type = "RollingUpdate";
        if (spec.strategy.type === "RollingUpdate")
          spec.strategy.rollingUpdate ??= { maxSurge: "25%", maxUnavailable: "25%" };
        podSpecDefaults(spec.template?.spec);
        o.status ??= {};
        break;
      case "ReplicaSet":
      case "DaemonSet":
        if (!spec) break;
        if (type.kind === "ReplicaSet") spec.replicas ??= 1;
        podSpecDefaults(spec.template?.spec);
        o.status ??= { replicas: 0 };
        break;
      case "StatefulSet":
        if (!spec) break;
        spec.replicas ??= 1;
        spec.podManagementPolicy ??= "OrderedReady";
        spec.revisionHistoryLimit ??= 10;
        spec.updateStrategy ??= { type: "RollingUpdate", rollingUpdate: { partition: 0 } };
        podSpecDefaults(spec.template?.spec);
        o.status ??= { replicas: 0, availableReplicas: 0 };
        break;
      case "Service":
        if (!spec) break;
        spec.type ??= "ClusterIP";
        spec.sessionAffinity ??= "None";
        spec.internalTrafficPolicy ??= "Cluster";
        spec.ipFamilies ??= ["IPv4"];
        spec.ipFamilyPolicy ??= "SingleStack";
        if (isCreate && spec.type !== "ExternalName") {
          if (spec.clusterIP === undefined || spec.clusterIP === "")
            spec.clusterIP = this.allocateClusterIP();
          else if (spec.clusterIP !== "None") this.usedClusterIPs.add(spec.clusterIP);
          spec.clusterIPs = [spec.clusterIP];
        }
        for (const port of spec.ports ?? []) {
          port.protocol ??= "TCP";
          port.targetPort ??= port.port;
        }
        o.status ??= { loadBalancer: {} };
        break;
      case "Secret":
        o.type ??= "Opaque";
        if (o.stringData) {
          o.data ??= {};
          for (const [k, v] of Object.entries(o.stringData as Record<string, string>))
            o.data[k] = Buffer.from(String(v)).toString("base64");
          delete o.stringData;
        }
        break;
      case "Namespace":
        o.spec ??= {};
        o.spec.finalizers ??= ["kubernetes"];
        o.status ??= { phase: "Active" };
        object.metadata.labels = {
          ...(object.metadata.labels ?? {}),
          "kubernetes.io/metadata.name": object.metadata.name!,
        };
        break;
      case "PersistentVolumeClaim":
        if (spec) spec.volumeMode ??= "Filesystem";
        o.status ??= { phase: "Pending" };
        break;
    }
  }
}
