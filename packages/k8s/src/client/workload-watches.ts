import type { CoreV1Event, V1Job, V1Pod } from "@kubernetes/client-node";
import type { KubeClients } from "./kube-clients.ts";
import { kubeErrorMessage } from "./kube-errors.ts";
import { ObjectWatch, type WatchVerb } from "./object-watch.ts";

/** Jobs and pods matching a label selector in one namespace, and its Warning events, each watched. */
export interface WorkloadWatches {
  readonly jobs: ObjectWatch<V1Job>;
  readonly pods: ObjectWatch<V1Pod>;
  readonly events: ObjectWatch<CoreV1Event>;
  /** Resolves once all three have listed what exists. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

export interface WorkloadWatchOptions {
  readonly clients: KubeClients;
  readonly namespace: string;
  readonly labelSelector: string;
  /** Names what is watched in error messages, e.g. "run" or "step". */
  readonly kind: string;
  readonly onJob: (verb: WatchVerb, job: V1Job) => void;
  readonly onPod: (verb: WatchVerb, pod: V1Pod) => void;
  /** A Warning event that happened while watching. */
  readonly onWarning: (verb: WatchVerb, event: CoreV1Event) => void;
  /** A Warning event that existed before the watch started: remembered, not reported again. */
  readonly onEarlierWarning: (event: CoreV1Event) => void;
  readonly onError: (message: string) => void;
}

/**
 * The watches the run monitor and the step executor share: one per kind and namespace, never a poll loop.
 */
export function watchWorkloads(options: WorkloadWatchOptions): WorkloadWatches {
  const { clients, namespace, labelSelector } = options;
  const onError = (what: string) => (error: unknown) =>
    options.onError(
      `watch of ${what} in namespace ${namespace} failed (restarting): ${kubeErrorMessage(error)}`,
    );
  const jobs = new ObjectWatch<V1Job>({
    clients,
    path: `/apis/batch/v1/namespaces/${namespace}/jobs`,
    list: () => clients.batch.listNamespacedJob({ namespace, labelSelector }),
    labelSelector,
    onChange: options.onJob,
    onError: onError(`${options.kind} Jobs`),
  });
  const pods = new ObjectWatch<V1Pod>({
    clients,
    path: `/api/v1/namespaces/${namespace}/pods`,
    list: () => clients.core.listNamespacedPod({ namespace, labelSelector }),
    labelSelector,
    onChange: options.onPod,
    onError: onError(`${options.kind} pods`),
  });
  let listed = false;
  const events = new ObjectWatch<CoreV1Event>({
    clients,
    path: `/api/v1/namespaces/${namespace}/events`,
    list: () => clients.core.listNamespacedEvent({ namespace, fieldSelector: "type=Warning" }),
    fieldSelector: "type=Warning",
    onChange: (verb, event) => (listed ? options.onWarning(verb, event) : options.onEarlierWarning(event)),
    onError: onError("Warning events"),
  });
  void events.synced.then(() => {
    listed = true;
  });
  return {
    jobs,
    pods,
    events,
    ready: Promise.all([jobs.synced, pods.synced, events.synced]).then(() => undefined),
    close: async () => {
      await Promise.all([jobs.close(), pods.close(), events.close()]);
    },
  };
}
