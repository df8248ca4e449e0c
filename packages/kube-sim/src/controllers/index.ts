import type { Registry } from "../apiserver/registry.ts";
import type { Controller, ControllerContext, ControllerTiming } from "./controller.ts";
import { ControllerManager } from "./controller-manager.ts";
import { DeploymentController } from "./deployment-controller.ts";
import { EndpointsController } from "./endpoints-controller.ts";
import type { EventRecorder } from "./event-recorder.ts";
import { GarbageCollector } from "./garbage-collector.ts";
import { JobController } from "./job-controller.ts";
import { NamespaceController } from "./namespace-controller.ts";
import { ReplicaSetController } from "./replicaset-controller.ts";
import { Scheduler } from "./scheduler.ts";
import { StatefulSetController } from "./statefulset-controller.ts";
import { TtlAfterFinishedController } from "./ttl-controller.ts";

export type { ControllerTiming } from "./controller.ts";
export { EventRecorder } from "./event-recorder.ts";

/** Starts every controller against `registry`; returns the manager (call `stop()` to end them). */
export function startControllers(
  registry: Registry,
  events: EventRecorder,
  timing: ControllerTiming,
  onError: (controller: string, key: string, error: unknown) => void,
): ControllerManager {
  const ctx: ControllerContext = { registry, events, type: (v, k) => registry.type(v, k), timing };
  const controllers: Controller[] = [
    new Scheduler(ctx),
    new JobController(ctx),
    new ReplicaSetController(ctx),
    new DeploymentController(ctx),
    new StatefulSetController(ctx),
    new EndpointsController(ctx),
    new TtlAfterFinishedController(ctx),
    new GarbageCollector(ctx),
    new NamespaceController(ctx),
  ];
  const manager = new ControllerManager(
    controllers,
    (l) => registry.store.subscribe(l),
    timing.resyncMs,
    onError,
  );
  manager.start();
  return manager;
}
