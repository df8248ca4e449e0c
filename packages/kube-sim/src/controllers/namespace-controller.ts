import { RESOURCE_TYPES } from "../resources/resource-types.ts";
import type { StoreEvent } from "../store/object-store.ts";
import type { Controller, ControllerContext } from "./controller.ts";

/** Empties a terminating namespace, then removes it. */
export class NamespaceController implements Controller {
  readonly name = "namespace";
  constructor(private readonly ctx: ControllerContext) {}

  keysFor(event: StoreEvent): string[] {
    if (event.resource.kind === "Namespace" && event.object.metadata.deletionTimestamp)
      return [event.object.metadata.name!];
    if (event.type === "DELETED" && event.resource.namespaced) return [event.object.metadata.namespace!];
    return [];
  }

  allKeys(): string[] {
    return this.ctx.registry.store
      .scan(this.ctx.type("v1", "Namespace"))
      .filter((n) => n.metadata.deletionTimestamp)
      .map((n) => n.metadata.name!);
  }

  reconcile(name: string): void {
    const { registry } = this.ctx;
    const ns = registry.store.peek(this.ctx.type("v1", "Namespace"), undefined, name);
    if (!ns?.metadata.deletionTimestamp) return;
    let remaining = 0;
    for (const type of RESOURCE_TYPES) {
      if (!type.namespaced) continue;
      for (const object of registry.store.scan(type, name)) {
        remaining++;
        if (!object.metadata.deletionTimestamp) {
          try {
            registry.delete(type, name, object.metadata.name!, { propagationPolicy: "Background" });
          } catch {
            // Already gone.
          }
        }
      }
    }
    if (remaining === 0) registry.finishNamespace(name);
  }
}
