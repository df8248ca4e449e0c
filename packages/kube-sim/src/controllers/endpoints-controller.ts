import type { KObject } from "../store/k8s-object.ts";
import type { StoreEvent } from "../store/object-store.ts";
import { matchesRequirements, type Requirement } from "../store/selectors.ts";
import { type Controller, type ControllerContext, splitKey } from "./controller.ts";
import { isPodReady, isTerminal } from "./owners.ts";

/** Maintains an Endpoints object for every Service with a selector: ready and not-ready pod addresses and ports. */
type Any = Record<string, any>;

export class EndpointsController implements Controller {
  readonly name = "endpoints";
  constructor(private readonly ctx: ControllerContext) {}

  private get services() {
    return this.ctx.type("v1", "Service");
  }
  private get endpoints() {
    return this.ctx.type("v1", "Endpoints");
  }

  keysFor(event: StoreEvent): string[] {
    const ns = event.object.metadata.namespace;
    if (event.resource.kind === "Service") return [`${ns}/${event.object.metadata.name}`];
    if (event.resource.kind === "Pod") {
      return this.ctx.registry.store
        .scan(this.services, ns)
        .filter((s) => {
          const selector = s.spec?.selector as Record<string, string> | undefined;
          if (!selector) return false;
          const req = selectorRequirements(selector);
          return (
            matchesRequirements(event.object.metadata.labels, req) ||
            matchesRequirements(event.previous?.metadata.labels, req)
          );
        })
        .map((s) => `${ns}/${s.metadata.name}`);
    }
    return [];
  }

  allKeys(): string[] {
    return [];
  }

  reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const { registry } = this.ctx;
    const service = registry.store.peek(this.services, namespace, name) as Any | undefined;
    const existing = registry.store.peek(this.endpoints, namespace, name);
    if (!service) {
      if (
        existing &&
        existing.metadata.labels?.["endpoints.kubernetes.io/managed-by"] === "endpoint-controller"
      )
        registry.delete(this.endpoints, namespace, name);
      return;
    }
    const selector = service.spec?.selector as Record<string, string> | undefined;
    if (!selector) return;
    const pods = registry.store
      .scan(this.ctx.type("v1", "Pod"), namespace)
      .filter(
        (p) =>
          matchesRequirements(p.metadata.labels, selectorRequirements(selector)) &&
          p.status?.podIP &&
          !isTerminal(p) &&
          !p.metadata.deletionTimestamp,
      );
    const address = (p: KObject) => ({
      ip: p.status!.podIP as string,
      nodeName: p.spec?.nodeName,
      ...(p.spec?.hostname ? { hostname: p.spec.hostname } : {}),
      targetRef: { kind: "Pod", namespace, name: p.metadata.name, uid: p.metadata.uid },
    });
    const subsets: Any[] = [];
    // Group pods by the ports they resolve to (named target ports can differ between pods).
    const groups = new Map<string, { ports: Any[]; ready: KObject[]; notReady: KObject[] }>();
    for (const pod of pods) {
      const ports = ((service.spec.ports ?? []) as Any[]).map((sp) => ({
        ...(sp.name ? { name: sp.name } : {}),
        port: resolvePort(pod, sp.targetPort ?? sp.port),
        protocol: sp.protocol ?? "TCP",
      }));
      if (ports.some((p) => p.port === undefined)) continue;
      const groupKey = JSON.stringify(ports);
      const group = groups.get(groupKey) ?? { ports, ready: [], notReady: [] };
      (isPodReady(pod) ? group.ready : group.notReady).push(pod);
      groups.set(groupKey, group);
    }
    for (const group of groups.values()) {
      const subset: Any = { ports: group.ports };
      if (group.ready.length > 0) subset.addresses = group.ready.map(address);
      if (group.notReady.length > 0) subset.notReadyAddresses = group.notReady.map(address);
      subsets.push(subset);
    }
    const body: Any = {
      apiVersion: "v1",
      kind: "Endpoints",
      metadata: {
        name,
        namespace,
        labels: {
          ...(service.metadata.labels ?? {}),
          "endpoints.kubernetes.io/managed-by": "endpoint-controller",
        },
      },
      ...(subsets.length > 0 ? { subsets } : {}),
    };
    if (!existing) registry.create(this.endpoints, namespace, body);
    else if (
      JSON.stringify(existing.subsets ?? []) !== JSON.stringify(body.subsets ?? []) ||
      JSON.stringify(existing.metadata.labels) !== JSON.stringify(body.metadata.labels)
    ) {
      registry.update(this.endpoints, namespace, name, {
        ...body,
        metadata: { ...body.metadata, resourceVersion: existing.metadata.resourceVersion },
      });
    }
  }
}

function selectorRequirements(selector: Record<string, string>): Requirement[] {
  return Object.entries(selector).map(([key, value]) => ({ key, op: "=" as const, value }));
}

function resolvePort(pod: KObject, target: number | string): number | undefined {
  if (typeof target === "number") return target;
  for (const container of (pod.spec?.containers ?? []) as Any[]) {
    for (const port of (container.ports ?? []) as Any[]) if (port.name === target) return port.containerPort;
  }
  return undefined;
}
