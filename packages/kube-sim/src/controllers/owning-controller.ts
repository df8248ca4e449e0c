import type { ResourceType } from "../resources/resource-types.ts";
import type { StoreEvent } from "../store/object-store.ts";
import { type Controller, type ControllerContext, splitKey } from "./controller.ts";

type Any = Record<string, any>;

/** An API type named as in a manifest. */
export interface TypeName {
  readonly apiVersion: string;
  readonly kind: string;
}

/**
 * What the controllers that own children share (Deployment → ReplicaSets; ReplicaSet,
 * StatefulSet and Job → Pods). An event on an owner queues that owner; an event on a child
 * queues the owner named by the child's controller reference, so a pod that changes brings its
 * owner back without waiting for a resync. `reconcile` starts from the live owner and leaves
 * alone one that is gone or being deleted: the garbage collector removes its children, and
 * re-creating them would fight it. Subclasses say how one owner reaches its desired state.
 */
export abstract class OwningController implements Controller {
  abstract readonly name: string;

  constructor(
    protected readonly ctx: ControllerContext,
    private readonly ownerType: TypeName,
    private readonly childType: TypeName,
  ) {}

  protected get owners(): ResourceType {
    return this.ctx.type(this.ownerType.apiVersion, this.ownerType.kind);
  }

  protected get children(): ResourceType {
    return this.ctx.type(this.childType.apiVersion, this.childType.kind);
  }

  keysFor(event: StoreEvent): string[] {
    if (event.resource.kind === this.ownerType.kind)
      return [`${event.object.metadata.namespace}/${event.object.metadata.name}`];
    if (event.resource.kind === this.childType.kind) {
      const owner = event.object.metadata.ownerReferences?.find(
        (r) => r.controller && r.kind === this.ownerType.kind,
      );
      if (owner) return [`${event.object.metadata.namespace}/${owner.name}`];
    }
    return [];
  }

  /** Nothing time-based by default: store events alone drive these controllers. */
  allKeys(): string[] {
    return [];
  }

  reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const { registry } = this.ctx;
    // Peek first: an owner deleted after its key was queued is normal, not an error to report.
    if (!registry.store.peek(this.owners, namespace, name)) return;
    const owner = registry.get(this.owners, namespace, name) as Any;
    if (owner.metadata.deletionTimestamp) return;
    this.reconcileOwner(owner, namespace, name);
  }

  /** Brings one live owner (`namespace/name`) to its desired state; must be safe to repeat. */
  protected abstract reconcileOwner(owner: Any, namespace: string | undefined, name: string): void;

  /**
   * Writes `status` through the status subresource of `current` (the owner as last read) when it
   * differs: most reconciles, one per child event, change nothing, and this skips the registry's
   * validate-and-compare path for them.
   */
  protected writeStatus(current: Any, status: Any, namespace: string | undefined, name: string): void {
    if (JSON.stringify(status) !== JSON.stringify(current.status ?? {}))
      this.ctx.registry.update(this.owners, namespace, name, { ...current, status }, "status");
  }
}
