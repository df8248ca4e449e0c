import type { Registry } from "../apiserver/registry.ts";
import { apiVersionOf, resourceTypeFor } from "../resources/resource-types.ts";
import { clone, type KObject, now } from "../store/k8s-object.ts";

/**
 * Writes core/v1 Events about objects, aggregating repeats into `count` the way the client-go
 * recorder does.
 */
export class EventRecorder {
  private readonly names = new Map<string, string>();
  private sequence = 0;

  constructor(private readonly registry: Registry) {}

  record(
    subject: KObject | Record<string, any>,
    type: "Normal" | "Warning",
    reason: string,
    message: string,
    component: string,
  ): void {
    const object = subject as KObject;
    const namespace = object.metadata.namespace ?? "default";
    const eventType = this.registry.type("v1", "Event");
    if (!this.registry.store.peek(this.registry.type("v1", "Namespace"), undefined, namespace)) return;
    const key = `${object.metadata.uid}|${type}|${reason}|${message}`;
    const existingName = this.names.get(key);
    const timestamp = now();
    if (existingName) {
      const existing = this.registry.store.peek(eventType, namespace, existingName);
      if (existing) {
        const updated = clone(existing) as Record<string, any>;
        updated.count = (updated.count ?? 1) + 1;
        updated.lastTimestamp = timestamp;
        this.registry.store.replace(eventType, updated as KObject);
        return;
      }
    }
    const typeOf = resourceTypeFor(object.apiVersion ?? "", object.kind ?? "");
    const name = `${object.metadata.name}.${(Date.now() * 1000 + (this.sequence++ % 1000)).toString(16)}`;
    this.names.set(key, name);
    try {
      this.registry.create(eventType, namespace, {
        metadata: { name, namespace },
        involvedObject: {
          apiVersion: typeOf ? apiVersionOf(typeOf) : object.apiVersion,
          kind: object.kind,
          name: object.metadata.name,
          namespace: object.metadata.namespace,
          uid: object.metadata.uid,
          resourceVersion: object.metadata.resourceVersion,
        },
        reason,
        message,
        type,
        count: 1,
        firstTimestamp: timestamp,
        lastTimestamp: timestamp,
        source: { component, host: component === "kubelet" ? "kube-sim-node" : undefined },
        reportingComponent: component,
        reportingInstance: component === "kubelet" ? "kube-sim-node" : "",
      });
    } catch {
      // Events are best effort, as in Kubernetes (e.g. the namespace is terminating).
    }
  }
}
