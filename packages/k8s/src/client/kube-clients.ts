/**
 * The one place that creates Kubernetes API clients: from the pod's service account
 * (`load_incluster_config`) or from a kubeconfig file, as the launcher or executor config says.
 */
import { BatchV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import type { K8sClientSource } from "../config/client-source.ts";

/** The Kubernetes API clients Bosun uses (core and batch), from the one config that made them. */
export interface KubeClients {
  readonly kc: KubeConfig;
  readonly core: CoreV1Api;
  readonly batch: BatchV1Api;
  /** Where the credentials came from, for messages. */
  readonly describe: string;
}

/**
 * Builds clients for a client source (see `k8sClientSource`).
 *
 * @example
 * const clients = createKubeClients(k8sClientSource(launcherConfig));
 * await clients.batch.createNamespacedJob({ namespace, body: job });
 */
export function createKubeClients(source: K8sClientSource): KubeClients {
  const kc = new KubeConfig();
  let describe: string;
  if (source.kind === "in-cluster") {
    kc.loadFromCluster();
    describe = "in-cluster service account";
  } else if (source.file !== undefined) {
    kc.loadFromFile(source.file);
    describe = `kubeconfig ${source.file}`;
  } else {
    kc.loadFromDefault();
    describe = process.env.KUBECONFIG ? `kubeconfig ${process.env.KUBECONFIG}` : "default kubeconfig";
  }
  return { kc, core: kc.makeApiClient(CoreV1Api), batch: kc.makeApiClient(BatchV1Api), describe };
}
