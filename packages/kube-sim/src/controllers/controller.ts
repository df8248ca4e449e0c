import type { Registry } from "../apiserver/registry.ts";
import type { ResourceType } from "../resources/resource-types.ts";
import type { StoreEvent } from "../store/object-store.ts";
import type { EventRecorder } from "./event-recorder.ts";

/**
 * A level-triggered controller: store events enqueue keys, `reconcile` brings one key to its
 * desired state and is safe to call any number of times. A periodic resync re-enqueues every
 * key so that time-based rules (deadlines, TTLs, back-off) fire without extra timers.
 */
export interface ControllerContext {
  readonly registry: Registry;
  readonly events: EventRecorder;
  readonly type: (apiVersion: string, kind: string) => ResourceType;
  readonly timing: ControllerTiming;
}

export interface ControllerTiming {
  /** First delay before re-creating a failed Job pod; doubles per failure (Kubernetes: 10s). */
  readonly jobBackoffMs: number;
  /** Period of the resync that drives time-based rules. */
  readonly resyncMs: number;
}

export interface Controller {
  readonly name: string;
  /** Keys (`namespace/name` of the controller's own objects) affected by an event. */
  keysFor(event: StoreEvent): string[];
  /** All keys, for the periodic resync. */
  allKeys(): string[];
  reconcile(key: string): void;
}

export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const slash = key.indexOf("/");
  return slash < 0
    ? { namespace: undefined, name: key }
    : { namespace: key.slice(0, slash) || undefined, name: key.slice(slash + 1) };
}
