/**
 * @bosun/k8s: Bosun on Kubernetes.
 *
 * - Config model: zod schemas for the run launcher, the k8sJobExecutor, a code location's container
 *   context and raw config sections, accepting snake_case or camelCase at every depth.
 * - Merge rules (DEEP / SHALLOW) and precedence for run pods, step pods and code servers, with
 *   `explain` variants that say which layer set each field.
 * - Pure manifest builders for run and step Jobs.
 * - `mergeConfigFiles`, the logic behind `bosun k8s merge`.
 */

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
export {
  explainK8sLayers,
  type FieldOrigin,
  type K8sConfigLayer,
  mergeK8sLayers,
  mergeK8sSections,
  REPLACED_LIST_KEYS,
} from "./config/merge.ts";
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
export { K8S_CONFIG_TAG, k8sConfigFromTags } from "./config/tag.ts";
export { parseEnvVar, type ShortcutFields, shortcutSections } from "./config/to-sections.ts";
export * from "./errors.ts";

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

export {
  formatOrigins,
  type MergeConfigFilesOptions,
  type MergedConfigPreview,
  mergeConfigDocuments,
  mergeConfigFiles,
  type NamedConfigDocument,
  readConfigDocuments,
} from "./preview/merge-config-files.ts";
