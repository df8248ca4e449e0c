/**
 * @bosun/k8s: Bosun on Kubernetes.
 *
 * - Config model: zod schemas for the run launcher, the k8sJobExecutor, a code location's container
 *   context and raw config sections, accepting snake_case or camelCase at every depth.
 * - Merge rules (DEEP / SHALLOW) and precedence for run pods, step pods and code servers, with
 *   `explain` variants that say which layer set each field.
 * - Pure manifest builders for run and step Jobs.
 * - `mergeConfigFiles`, the logic behind `bosun k8s merge`.
 * - Runtime: `K8sRunLauncher` (registered as `run_launcher: { k8s: ... }`), `k8sJobExecutor` (registered
 *   as the `k8s` executor), watch-based run monitoring (`K8sRunMonitor`) and `previewJobManifests`.
 *   `k8sPlugin` (also the light entry `@bosun/k8s/plugin`) hands the launcher and the executor to the
 *   `bosun` command; importing this package registers nothing.
 *
 * May depend on: @bosun/core, bosun (the SDK), @bosun/storage, @bosun/instance, @bosun/engine,
 * @bosun/code-server, @bosun/runs (LAYERS in .dependency-cruiser.cjs).
 * Each `//` heading is followed by a blank line: Biome then sorts exports within a section, not across.
 */

// Config model: zod schemas of the launcher, the executor, a code location's container context and raw config

export { type K8sClientSource, k8sClientSource } from "./config/client-source.ts";
export { type K8sContainerContext, K8sContainerContextSchema } from "./config/container-context.ts";
export {
  containerFieldsShape,
  EnvVarSpecSchema,
  LabelsSchema,
  NamespaceSchema,
} from "./config/container-fields.ts";
export { type K8sJobExecutorConfig, K8sJobExecutorConfigSchema } from "./config/executor-config.ts";
export { type JsonSchemaOptions, k8sConfigJsonSchema } from "./config/json-schema.ts";
export {
  DEFAULT_BOSUN_HOME,
  type K8sRunLauncherConfig,
  K8sRunLauncherConfigSchema,
} from "./config/launcher-config.ts";
export { parseK8sConfig } from "./config/parse.ts";
export {
  ALL_SECTIONS,
  type AnyRawK8sConfig,
  AnyRawK8sConfigSchema,
  type K8sSections,
  type MergeBehavior,
  MergeBehaviorSchema,
  RUN_SECTIONS,
  type RunK8sConfig,
  RunK8sConfigSchema,
  SERVER_SECTIONS,
  type SectionName,
  type ServerK8sConfig,
  ServerK8sConfigSchema,
  sectionsOf,
} from "./config/raw-config.ts";
export { K8S_CONFIG_TAG, k8sConfigFromTags } from "./config/tag.ts";
export { parseEnvVar, type ShortcutFields, shortcutSections } from "./config/to-sections.ts";

// Merge rules (DEEP / SHALLOW) and precedence for run pods, step pods and code servers, with `explain` variants

export {
  explainK8sLayers,
  type FieldOrigin,
  type FieldOverride,
  type K8sConfigLayer,
  mergeK8sLayers,
  mergeK8sSections,
  REPLACED_LIST_KEYS,
} from "./config/merge.ts";
export {
  type ExplainedK8sConfig,
  explainRunK8sConfig,
  explainServerK8sConfig,
  explainStepK8sConfig,
  LAYER,
  type PodInstanceSettings,
  type ResolvedK8sConfig,
  type ResolveRunInput,
  type ResolveServerInput,
  type ResolveStepInput,
  resolveRunK8sConfig,
  resolveServerK8sConfig,
  resolveStepK8sConfig,
} from "./config/resolve.ts";

// Kubernetes object model: field metadata from the client library, canonical objects, object names

export { type KubeField, type KubeModel, type KubeType, kubeModel } from "./kube-model/model-registry.ts";
export {
  type KubeIssue,
  type NormalizedKubeObject,
  normalizeKubeObject,
} from "./kube-model/normalize-kube-object.ts";
export {
  isDns1123Label,
  isDns1123Subdomain,
  isLabelValue,
  isQualifiedName,
} from "./kube-model/object-names.ts";

// Pure manifest builders for run and step Jobs

export { type StepJobManifestInput, stepJobManifest, stepWorkerArgv } from "./executor/step-job-manifest.ts";
export { type RunJobManifestInput, runJobManifest, runWorkerArgv } from "./launcher/run-job-manifest.ts";
export {
  DEFAULT_JOB_TTL_SECONDS,
  INSTANCE_CONFIG_KEY,
  INSTANCE_VOLUME_NAME,
  MAIN_CONTAINER_NAME,
  POSTGRES_PASSWORD_KEY,
} from "./manifests/job-manifest.ts";
export { sanitizeLabelValue, type WorkerComponent } from "./manifests/labels.ts";
export { runJobName, stepJobName } from "./manifests/names.ts";
export { buildRunJob, type RunJobInput } from "./manifests/run-job.ts";
export { buildStepJob, type StepJobInput, type StepJobOwner } from "./manifests/step-job.ts";

// Runtime: API clients, retries and watches

export { createKubeClients, type KubeClients } from "./client/kube-clients.ts";
export {
  isNetworkError,
  kubeErrorMessage,
  kubeStatusCode,
  RETRIED_STATUS_CODES,
} from "./client/kube-errors.ts";
export {
  type CreateOutcome,
  createWithRetry,
  type KubeRetryOptions,
  withKubeRetry,
} from "./client/kube-retry.ts";
export { ObjectWatch, type ObjectWatchOptions, type WatchVerb } from "./client/object-watch.ts";

// Runtime: the run launcher and what a run pod reads from its environment

export { BOSUN_VERSION } from "./launcher/bosun-version.ts";
export {
  K8S_LAUNCHER_NAME,
  K8sRunLauncher,
  type K8sRunLauncherOptions,
  RunJobExistsError,
} from "./launcher/k8s-run-launcher.ts";
export {
  CONTAINER_CONTEXT_ENV,
  k8sContainerContextOf,
  LAUNCHER_CONFIG_ENV,
  RUN_IMAGE_ENV,
  RUN_JOB_NAME_ENV,
  RUN_NAMESPACE_ENV,
  type RunPodSettings,
  runPodSettingsFromEnv,
} from "./launcher/worker-env.ts";

// Runtime: the per-step executor (k8sJobExecutor)

export {
  K8S_EXECUTOR_NAME,
  type K8sJobExecutorOptions,
  k8sExecutorFactory,
  k8sJobExecutor,
} from "./executor/k8s-job-executor.ts";
export { K8sStepLauncher, type K8sStepLauncherOptions } from "./executor/k8s-step-launcher.ts";

// Runtime: watch-based run monitoring and pod diagnosis

export {
  K8sRunMonitor,
  type K8sRunMonitorOptions,
  type MonitorLogger,
  RUN_WORKER_SELECTOR,
} from "./monitor/k8s-run-monitor.ts";
export {
  type ContainerStateSummary,
  containerStates,
  DEFAULT_POD_START_POLICY,
  formatContainerStates,
  type PodProblem,
  type PodStartPolicy,
  podProblems,
} from "./monitor/pod-diagnosis.ts";
export { buildWorkloadReport, formatWarningEvent, type WorkloadReport } from "./monitor/workload-report.ts";

// Previews: `bosun k8s merge` and the Job manifests a launch would create

export {
  PREVIEW_RUN_ID,
  type PreviewHelmRelease,
  type PreviewJobManifestsOptions,
  PreviewOptionsError,
  previewJobManifests,
} from "./launcher/preview-job-manifests.ts";
export { DEFAULT_CHART_DIR, HELM_BINARY_ENV, helmBinary } from "./preview/helm-chart.ts";
export {
  formatOrigins,
  type MergeConfigFilesOptions,
  type MergedConfigPreview,
  mergeConfigDocuments,
  mergeConfigFiles,
  type NamedConfigDocument,
  readConfigDocuments,
} from "./preview/merge-config-files.ts";

// Errors (config problems, missing images, reserved fields, ...)

export * from "./errors.ts";

// The plugin for the `bosun` command (also the light entry `@bosun/k8s/plugin`)

export { k8sPlugin } from "./plugin.ts";
