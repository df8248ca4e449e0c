import type { StoreEvent } from "../store/object-store.ts";
import type { Controller } from "./controller.ts";

/**
 * Runs controllers: dedupes queued keys per controller and drains them on the next tick, so a
 * burst of store events becomes one reconcile per key. Errors are reported, never thrown into
 * the store's event loop.
 */
export class ControllerManager {
  private readonly queues = new Map<Controller, Set<string>>();
  private scheduled = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly controllers: readonly Controller[],
    private readonly subscribe: (listener: (event: StoreEvent) => void) => () => void,
    private readonly resyncMs: number,
    private readonly onError: (controller: string, key: string, error: unknown) => void,
  ) {
    for (const c of controllers) this.queues.set(c, new Set());
  }

  start(): void {
    this.unsubscribe = this.subscribe((event) => {
      for (const controller of this.controllers)
        for (const key of controller.keysFor(event)) this.enqueue(controller, key);
    });
    this.timer = setInterval(() => {
      for (const controller of this.controllers)
        for (const key of controller.allKeys()) this.enqueue(controller, key);
    }, this.resyncMs);
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
  }

  enqueue(controller: Controller, key: string): void {
    this.queues.get(controller)!.add(key);
    if (!this.scheduled && !this.stopped) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  private drain(): void {
    this.scheduled = false;
    if (this.stopped) return;
    for (const [controller, queue] of this.queues) {
      const keys = [...queue];
      queue.clear();
      for (const key of keys) {
        try {
          controller.reconcile(key);
        } catch (error) {
          this.onError(controller.name, key, error);
        }
      }
    }
  }
}
