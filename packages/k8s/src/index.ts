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
export * from "./errors.ts";

export {
  ALL_SECTIONS,
  AnyRawK8sConfigSchema,
  MergeBehaviorSchema,
  RUN_SECTIONS,
  RunK8sConfigSchema,
  SERVER_SECTIONS,
  ServerK8sConfigSchema,
  sectionsOf,
  type AnyRawK8sConfig,
  type K8sSections,
  type MergeBehavior,
  type RunK8sConfig,
  type SectionName,
  type ServerK8sConfig,
} from "./config/raw-config.ts";
export { containerFieldsShape, EnvVarSpecSchema, LabelsSchema, NamespaceSchema } from "./config/container-fields.ts";
export { K8sContainerContextSchema, type K8sContainerContext } from "./config/container-context.ts";
export {
  DEFAULT_BOSUN_HOME,
  K8sRunLauncherConfigSchema,
  type K8sRunLauncherConfig,
} from "./config/launcher-config.ts";
export { K8sJobExecutorConfigSchema, type K8sJobExecutorConfig } from "./config/executor-config.ts";
export { k8sClientSource, type K8sClientSource } from "./config/client-source.ts";
export { parseK8sConfig } from "./config/parse.ts";
export { K8S_CONFIG_TAG, k8sConfigFromTags } from "./config/tag.ts";
export { parseEnvVar, shortcutSections, type ShortcutFields } from "./config/to-sections.ts";
export {
  explainK8sLayers,
  mergeK8sLayers,
  mergeK8sSections,
  REPLACED_LIST_KEYS,
  type FieldOrigin,
  type K8sConfigLayer,
} from "./config/merge.ts";
export {
  explainRunK8sConfig,
  explainServerK8sConfig,
  explainStepK8sConfig,
  LAYER,
  resolveRunK8sConfig,
  resolveServerK8sConfig,
  resolveStepK8sConfig,
  type ExplainedK8sConfig,
  type PodInstanceSettings,
  type ResolvedK8sConfig,
  type ResolveRunInput,
  type ResolveServerInput,
  type ResolveStepInput,
} from "./config/resolve.ts";
export { k8sConfigJsonSchema, type JsonSchemaOptions } from "./config/json-schema.ts";

export { normalizeKubeObject, type KubeIssue, type NormalizedKubeObject } from "./kube-model/normalize-kube-object.ts";
export { isDns1123Label, isDns1123Subdomain, isLabelValue, isQualifiedName } from "./kube-model/object-names.ts";

export { runJobName, stepJobName } from "./manifests/names.ts";
export { sanitizeLabelValue, type WorkerComponent } from "./manifests/labels.ts";
export {
  DEFAULT_JOB_TTL_SECONDS,
  INSTANCE_CONFIG_KEY,
  INSTANCE_VOLUME_NAME,
  MAIN_CONTAINER_NAME,
  POSTGRES_PASSWORD_KEY,
} from "./manifests/job-manifest.ts";
export { buildRunJob, type RunJobInput } from "./manifests/run-job.ts";
export { buildStepJob, type StepJobInput, type StepJobOwner } from "./manifests/step-job.ts";

export {
  formatOrigins,
  mergeConfigDocuments,
  mergeConfigFiles,
  readConfigDocuments,
  type MergeConfigFilesOptions,
  type MergedConfigPreview,
  type NamedConfigDocument,
} from "./preview/merge-config-files.ts";
