/**
 * `k8sJobExecutor(...)`: the definition a job names to run each step in its own Kubernetes Job, and the
 * `k8s` executor factory the engine resolves it to (provided to run workers by `k8sPlugin`).
 *
 * Outputs must travel between pods: a run whose IO managers keep them on one machine is refused
 * before it starts (the engine checks `requiredIoReach: "cluster"`); use `postgresIoManager()`.
 */

import type { JsonValue } from "@bosun/core";
import type { ExecutorFactory } from "@bosun/engine";
import type { ExecutorDefinition } from "bosun";
import { createKubeClients } from "../client/kube-clients.ts";
import { k8sClientSource } from "../config/client-source.ts";
import { type K8sJobExecutorConfig, K8sJobExecutorConfigSchema } from "../config/executor-config.ts";
import { parseK8sConfig } from "../config/parse.ts";
import { runPodSettingsFromEnv } from "../launcher/worker-env.ts";
import { K8sStepLauncher } from "./k8s-step-launcher.ts";

/** The name the k8sJobExecutor is registered under. */
export const K8S_EXECUTOR_NAME = "k8s";

/** Options of `k8sJobExecutor`, camelCase; they become the executor's snake_case config. */
export interface K8sJobExecutorOptions {
  /** Most step Jobs of one run at once (default: no limit). */
  readonly maxConcurrent?: number;
  /** Raw Kubernetes config for every step pod (`container_config`, `pod_spec_config`, ...). */
  readonly stepK8sConfig?: Readonly<Record<string, JsonValue>>;
  /** Raw Kubernetes config per op name, the most specific layer. */
  readonly perStepK8sConfig?: Readonly<Record<string, Readonly<Record<string, JsonValue>>>>;
  /** Image of step pods (default: the code location's, else the run pod's). */
  readonly image?: string;
  /** Namespace of step Jobs (default: the run's). */
  readonly namespace?: string;
  /** Use the pod's service account (default true unless `kubeconfigFile`). */
  readonly loadInclusterConfig?: boolean;
  readonly kubeconfigFile?: string;
}

/**
 * @example
 * export const fanOut = job({
 *   name: "fan_out",
 *   executor: k8sJobExecutor({
 *     maxConcurrent: 4,
 *     stepK8sConfig: { container_config: { resources: { limits: { memory: "256Mi" } } } },
 *     perStepK8sConfig: { heavy: { container_config: { resources: { limits: { memory: "2Gi" } } } } },
 *   }),
 *   resourceDefs: { io_manager: postgresIoManager() },
 *   build: () => { ... },
 * });
 */
export function k8sJobExecutor(options: K8sJobExecutorOptions = {}): ExecutorDefinition {
  const config: Record<string, JsonValue> = {};
  if (options.maxConcurrent !== undefined) config.max_concurrent = options.maxConcurrent;
  if (options.stepK8sConfig !== undefined) config.step_k8s_config = options.stepK8sConfig as JsonValue;
  if (options.perStepK8sConfig !== undefined)
    config.per_step_k8s_config = options.perStepK8sConfig as JsonValue;
  if (options.image !== undefined) config.image = options.image;
  if (options.namespace !== undefined) config.job_namespace = options.namespace;
  if (options.loadInclusterConfig !== undefined) config.load_incluster_config = options.loadInclusterConfig;
  if (options.kubeconfigFile !== undefined) config.kubeconfig_file = options.kubeconfigFile;
  // Bad config fails where the job is defined, naming the field.
  parseK8sConfig(K8sJobExecutorConfigSchema, config, "k8sJobExecutor");
  return { name: K8S_EXECUTOR_NAME, config };
}

/** The engine's side: one K8sStepLauncher per run. */
export const k8sExecutorFactory: ExecutorFactory<K8sJobExecutorConfig> = {
  name: K8S_EXECUTOR_NAME,
  configSchema: K8sJobExecutorConfigSchema as never,
  requiredIoReach: "cluster",
  async createLauncher(context) {
    const settings = runPodSettingsFromEnv();
    const clients = createKubeClients(k8sClientSource(context.config));
    return new K8sStepLauncher({
      run: context.run,
      plan: context.plan,
      origin: context.origin,
      config: context.config,
      settings,
      clients,
      events: context.events,
      eventLog: context.storage.events,
      computeLogs: context.storage.computeLogs,
      computeLogSettings: context.session.runtime.computeLogSettings,
    });
  },
};
