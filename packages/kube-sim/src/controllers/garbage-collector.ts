import { RESOURCE_TYPES, type ResourceType } from "../resources/resource-types.ts";
import { clone, type KObject } from "../store/k8s-object.ts";
import type { StoreEvent } from "../store/object-store.ts";
import type { Controller, ControllerContext } from "./controller.ts";

/**
 * Garbage collector. Dependents name their owners in `metadata.ownerReferences`:
 * - an owner removed from storage (Background) gets its dependents deleted;
 * - an owner carrying the `foregroundDeletion` finalizer waits until its dependents are gone
 *   (they are deleted in the foreground too), then loses the finalizer and is removed;
 * - an owner carrying the `orphan` finalizer has its references removed from its dependents.
 * Keys are owner uids; dependents are found by scanning, which is fine at test scale.
 */
export class GarbageCollector implements Controller {
  readonly name = "garbage-collector";
  /** uid → owner being deleted (kept after removal so background deletion can find dependents). */
  private readonly pending = new Map<string, { type: ResourceType; object: KObject; removed: boolean }>();

  constructor(private readonly ctx: ControllerContext) {}

  keysFor(event: StoreEvent): string[] {
    const uid = event.object.metadata.uid!;
    if (event.type === "DELETED") {
      this.pending.set(uid, { type: event.resource, object: event.object, removed: true });
      return [uid];
    }
    if (event.object.metadata.deletionTimestamp) {
      this.pending.set(uid, { type: event.resource, object: event.object, removed: false });
      return [uid];
    }
    return [];
  }

  allKeys(): string[] {
    return [...this.pending.keys()];
  }

  private dependents(uid: string, namespace: string | undefined): { type: ResourceType; object: KObject }[] {
    const out: { type: ResourceType; object: KObject }[] = [];
    for (const type of RESOURCE_TYPES) {
      if (type.kind === "Event") continue;
      for (const object of this.ctx.registry.store.scan(type, type.namespaced ? namespace : undefined)) {
        if (object.metadata.ownerReferences?.some((r) => r.uid === uid)) out.push({ type, object });
      }
    }
    return out;
  }

  reconcile(uid: string): void {
    const entry = this.pending.get(uid);
    if (!entry) return;
    const { registry } = this.ctx;
    const namespace = entry.object.metadata.namespace;
    const dependents = this.dependents(uid, namespace);
    if (entry.removed) {
      for (const d of dependents) {
        if (d.object.metadata.deletionTimestamp) continue;
        const others = (d.object.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
        if (others.some((r) => this.ownerExists(r.uid, d.object.metadata.namespace))) {
          const updated = clone(d.object);
          updated.metadata.ownerReferences = others;
          registry.store.replace(d.type, updated);
        } else
          tryDelete(() =>
            registry.delete(d.type, d.object.metadata.namespace, d.object.metadata.name!, {
              propagationPolicy: "Background",
            }),
          );
      }
      this.pending.delete(uid);
      return;
    }
    const live = registry.store.peek(entry.type, namespace, entry.object.metadata.name!);
    if (!live || live.metadata.uid !== uid) {
      this.pending.delete(uid);
      return;
    }
    const finalizers = live.metadata.finalizers ?? [];
    if (finalizers.includes("orphan")) {
      for (const d of dependents) {
        const updated = clone(d.object);
        updated.metadata.ownerReferences = (updated.metadata.ownerReferences ?? []).filter(
          (r) => r.uid !== uid,
        );
        if (updated.metadata.ownerReferences.length === 0) delete updated.metadata.ownerReferences;
        registry.store.replace(d.type, updated);
      }
      registry.removeFinalizer(entry.type, namespace, live.metadata.name!, "orphan");
      return;
    }
    if (finalizers.includes("foregroundDeletion")) {
      for (const d of dependents) {
        if (!d.object.metadata.deletionTimestamp)
          tryDelete(() =>
            registry.delete(d.type, d.object.metadata.namespace, d.object.metadata.name!, {
              propagationPolicy: "Foreground",
            }),
          );
      }
      if (this.dependents(uid, namespace).length === 0)
        registry.removeFinalizer(entry.type, namespace, live.metadata.name!, "foregroundDeletion");
      return;
    }
    this.pending.delete(uid);
  }

  private ownerExists(uid: string, namespace: string | undefined): boolean {
    for (const type of RESOURCE_TYPES) {
      for (const object of this.ctx.registry.store.scan(type, type.namespaced ? namespace : undefined))
        if (object.metadata.uid === uid) return true;
    }
    return false;
  }
}

function tryDelete(action: () => unknown): void {
  try {
    action();
  } catch (error) {
    if ((error as { code?: number }).code !== 404) throw error;
  }
}
