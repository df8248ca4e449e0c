/**
 * Resolves the Kubernetes config of a run pod, a step pod or a code server from every scope that
 * can carry some, in precedence order (lowest first):
 *
 * Run pod:    launcher → launcher.run_k8s_config → container_context → container_context.run_k8s_config
 *             → job tag bosun-k8s/config
 * Step pod:   launcher → launcher.run_k8s_config → container_context → container_context.run_k8s_config
 *             → executor → executor.step_k8s_config → op tag bosun-k8s/config
 *             → executor.per_step_k8s_config[op]          (the job-level tag does NOT reach step pods)
 * Code server: launcher → launcher.server_k8s_config → container_context → container_context.server_k8s_config
 *
 * A scope's shortcut fields and its raw config merge onto the scopes below with the raw config's
 * `merge_behavior`. The merge itself is `merge.ts`. The merged containers' resources are then checked
 * (`resource-checks.ts`): a request above its limit fails here, naming the layer of each.
 */
import type { K8sContainerContext } from "./container-context.ts";
import type { K8sJobExecutorConfig } from "./executor-config.ts";
import { DEFAULT_BOSUN_HOME, type K8sRunLauncherConfig } from "./launcher-config.ts";
import { explainK8sLayers, type FieldOrigin, type FieldOverride, type K8sConfigLayer } from "./merge.ts";
import { type K8sSections, type MergeBehavior, type SectionName, sectionsOf } from "./raw-config.ts";
import { checkContainerResources } from "./resource-checks.ts";
import { K8S_CONFIG_TAG, k8sConfigFromTags } from "./tag.ts";
import { type ShortcutFields, shortcutSections } from "./to-sections.ts";

/** Layer names, as `explain` reports them. */
export const LAYER = {
  launcher: "launcher",
  launcherRun: "launcher.run_k8s_config",
  launcherServer: "launcher.server_k8s_config",
  location: "container_context",
  locationRun: "container_context.run_k8s_config",
  locationServer: "container_context.server_k8s_config",
  jobTag: `job tag ${K8S_CONFIG_TAG}`,
  executor: "executor",
  executorStep: "executor.step_k8s_config",
  opTag: `op tag ${K8S_CONFIG_TAG}`,
  perStep: (opName: string) => `executor.per_step_k8s_config[${JSON.stringify(opName)}]`,
} as const;

/** What a run or step pod needs to reach the instance, from the launcher config. */
export interface PodInstanceSettings {
  /** BOSUN_HOME inside the pod. */
  readonly bosunHome: string;
  /** Secret with the database password under `postgresql-password`. */
  readonly postgresPasswordSecret?: string;
  /** ConfigMap with bosun.yaml, mounted at `$BOSUN_HOME/bosun.yaml`. */
  readonly instanceConfigMap?: string;
}

/**
 * The Kubernetes config of one pod after every layer is merged: sections, namespace, image and the instance's
 * settings.
 */
export interface ResolvedK8sConfig {
  /** The merged raw config (canonical: snake_case sections, camelCase Kubernetes fields). */
  readonly sections: K8sSections;
  readonly namespace: string;
  /** `container_config.image` > code location `image` > executor `image` > launcher `image`; undefined if none. */
  readonly image: string | undefined;
  readonly instance: PodInstanceSettings;
  /** Names of the layers that contributed config, lowest first. */
  readonly layers: readonly string[];
}

/** A resolved config with the layer that set each field, for `explain`. */
export interface ExplainedK8sConfig extends ResolvedK8sConfig {
  /** For every leaf (and list item) of `sections`, plus `namespace` and `image`: the layer that set it. */
  readonly origins: readonly FieldOrigin[];
  /** Values a later layer replaced, including a lower scope's `namespace` and `image`. */
  readonly overrides: readonly FieldOverride[];
}

/** A parsed raw config: sections plus its merge behavior. */
type RawConfig = Partial<Record<SectionName, Record<string, unknown> | undefined>> & {
  readonly merge_behavior: MergeBehavior;
};

type ProcessEnv = Readonly<Record<string, string | undefined>>;

/** The layers of a run pod's config: the launcher, the code location and the run's tags. */
export interface ResolveRunInput {
  readonly launcher?: K8sRunLauncherConfig;
  readonly containerContext?: K8sContainerContext;
  /** The run's tags (or the job's); `bosun-k8s/config` is read from them. */
  readonly jobTags?: Readonly<Record<string, unknown>>;
  /** Environment for bare `KEY` entries of `env_vars`; default `process.env`. */
  readonly processEnv?: ProcessEnv;
}

/**
 * The layers of a step pod's config: the launcher, the code location, the executor (with its
 * `per_step_k8s_config`) and the op's tags.
 */
export interface ResolveStepInput {
  readonly launcher?: K8sRunLauncherConfig;
  readonly containerContext?: K8sContainerContext;
  readonly executor?: K8sJobExecutorConfig;
  /** The op's (or asset's) tags; `bosun-k8s/config` is read from them. */
  readonly opTags?: Readonly<Record<string, unknown>>;
  /** The op's name, the key of `per_step_k8s_config`. */
  readonly opName: string;
  readonly processEnv?: ProcessEnv;
}

/** The layers of a code server's config: the launcher and the code location. */
export interface ResolveServerInput {
  readonly launcher?: K8sRunLauncherConfig;
  readonly containerContext?: K8sContainerContext;
  readonly processEnv?: ProcessEnv;
}

interface Candidate {
  readonly value: string | undefined;
  readonly layer: string;
}

function scopeLayers(
  shortcutLayer: string,
  rawLayer: string,
  fields: ShortcutFields | undefined,
  raw: RawConfig | undefined,
  target: "job" | "server",
  processEnv: ProcessEnv,
): K8sConfigLayer[] {
  const mergeBehavior = raw?.merge_behavior ?? "DEEP";
  const layers: K8sConfigLayer[] = [];
  if (fields !== undefined) {
    layers.push({
      name: shortcutLayer,
      sections: shortcutSections(fields, { layer: shortcutLayer, processEnv, target }),
      mergeBehavior,
    });
  }
  if (raw !== undefined) layers.push({ name: rawLayer, sections: sectionsOf(raw), mergeBehavior });
  return layers;
}

function rawLayer(name: string, raw: RawConfig | undefined): K8sConfigLayer[] {
  return raw === undefined ? [] : [{ name, sections: sectionsOf(raw), mergeBehavior: raw.merge_behavior }];
}

function firstSet(candidates: readonly Candidate[]): Candidate | undefined {
  return candidates.find((candidate) => candidate.value !== undefined);
}

/** The scopes that can name the namespace and the image; only step pods have an executor. */
interface Scopes {
  readonly launcher?: K8sRunLauncherConfig;
  readonly containerContext?: K8sContainerContext;
  readonly executor?: K8sJobExecutorConfig;
}

function assemble(layers: readonly K8sConfigLayer[], scopes: Scopes): ExplainedK8sConfig {
  const { launcher, containerContext: location, executor } = scopes;
  const { sections, origins, overrides } = explainK8sLayers(layers);
  // Layers valid alone can merge into a pod Kubernetes rejects (one layer's limits, another's larger requests).
  checkContainerResources(sections, origins);
  // Highest precedence first; an absent scope sets nothing, so run pods and code servers skip the executor.
  const namespaceCandidates = [
    { value: executor?.job_namespace, layer: LAYER.executor },
    { value: location?.namespace, layer: LAYER.location },
    { value: launcher?.job_namespace, layer: LAYER.launcher },
  ];
  const imageCandidates = [
    { value: location?.image, layer: LAYER.location },
    { value: executor?.image, layer: LAYER.executor },
    { value: launcher?.image, layer: LAYER.launcher },
  ];
  const containerImage = origins.find((origin) => origin.path === "container_config.image");
  const image =
    containerImage !== undefined
      ? { value: containerImage.value as string, layer: containerImage.layer }
      : firstSet(imageCandidates);
  const namespace = firstSet(namespaceCandidates) ?? { value: "default", layer: "default" };
  const extra: FieldOrigin[] = [{ path: "namespace", value: namespace.value, layer: namespace.layer }];
  if (image?.value !== undefined) extra.push({ path: "image", value: image.value, layer: image.layer });
  const shadowed = [
    ...shadowedCandidates("namespace", namespaceCandidates, namespace),
    ...(image === undefined ? [] : shadowedCandidates("image", imageCandidates, image)),
  ];
  return {
    sections,
    namespace: namespace.value!,
    image: image?.value,
    instance: {
      bosunHome: launcher?.bosun_home ?? DEFAULT_BOSUN_HOME,
      ...(launcher?.postgres_password_secret === undefined
        ? {}
        : { postgresPasswordSecret: launcher.postgres_password_secret }),
      ...(launcher?.instance_config_map === undefined
        ? {}
        : { instanceConfigMap: launcher.instance_config_map }),
    },
    layers: layers.filter((layer) => Object.keys(layer.sections).length > 0).map((layer) => layer.name),
    origins: [...extra, ...origins],
    overrides: [...shadowed, ...overrides],
  };
}

/** The scopes that also named `path` but lost to `winner` (candidates are highest precedence first), oldest first. */
function shadowedCandidates(
  path: string,
  candidates: readonly Candidate[],
  winner: Candidate,
): FieldOverride[] {
  const winnerIndex = candidates.findIndex((candidate) => candidate.layer === winner.layer);
  const lower = winnerIndex === -1 ? candidates : candidates.slice(winnerIndex + 1);
  return lower
    .filter((candidate) => candidate.value !== undefined)
    .reverse()
    .map((candidate) => ({ path, value: candidate.value, layer: candidate.layer, by: winner.layer }));
}

function withoutOrigins({
  origins: _origins,
  overrides: _overrides,
  ...resolved
}: ExplainedK8sConfig): ResolvedK8sConfig {
  return resolved;
}

/** Where the launcher's and the code location's raw config for each kind of pod lives, and its layer names. */
const RAW_CONFIG_OF = {
  job: { key: "run_k8s_config", launcher: LAYER.launcherRun, location: LAYER.locationRun },
  server: { key: "server_k8s_config", launcher: LAYER.launcherServer, location: LAYER.locationServer },
} as const;

/**
 * The launcher's layers, then the code location's: each scope's shortcut fields, then its
 * `run_k8s_config` (run and step pods) or `server_k8s_config` (code servers).
 */
function launcherAndLocationLayers(input: ResolveServerInput, target: "job" | "server"): K8sConfigLayer[] {
  const processEnv = input.processEnv ?? process.env;
  const { launcher, containerContext: location } = input;
  const raw = RAW_CONFIG_OF[target];
  return [
    ...scopeLayers(LAYER.launcher, raw.launcher, launcher, launcher?.[raw.key], target, processEnv),
    ...scopeLayers(LAYER.location, raw.location, location, location?.[raw.key], target, processEnv),
  ];
}

/**
 * The run pod's config, with `explain` detail: which layer set every field.
 *
 * @example
 * explainRunK8sConfig({ launcher, containerContext, jobTags: job.tags }).origins
 * // → [{ path: "namespace", value: "default", layer: "launcher" }, { path: "container_config.resources.limits.cpu", value: "500m", layer: "job tag bosun-k8s/config" }, ...]
 */
export function explainRunK8sConfig(input: ResolveRunInput): ExplainedK8sConfig {
  const tag = k8sConfigFromTags(input.jobTags, LAYER.jobTag);
  const layers = [...launcherAndLocationLayers(input, "job"), ...rawLayer(LAYER.jobTag, tag)];
  return assemble(layers, input);
}

/**
 * The run pod's merged Kubernetes config.
 *
 * @example
 * const resolved = resolveRunK8sConfig({ launcher, containerContext, jobTags: run.tags });
 * buildRunJob({ runId, jobName, argv, config: resolved, bosunVersion });
 */
export function resolveRunK8sConfig(input: ResolveRunInput): ResolvedK8sConfig {
  return withoutOrigins(explainRunK8sConfig(input));
}

/** The step pod's config, with `explain` detail. */
export function explainStepK8sConfig(input: ResolveStepInput): ExplainedK8sConfig {
  const { executor } = input;
  const tag = k8sConfigFromTags(input.opTags, LAYER.opTag);
  const layers = [
    ...launcherAndLocationLayers(input, "job"),
    ...scopeLayers(
      LAYER.executor,
      LAYER.executorStep,
      executor,
      executor?.step_k8s_config,
      "job",
      input.processEnv ?? process.env,
    ),
    ...rawLayer(LAYER.opTag, tag),
    ...rawLayer(LAYER.perStep(input.opName), executor?.per_step_k8s_config?.[input.opName]),
  ];
  return assemble(layers, input);
}

/** The step pod's merged Kubernetes config. The job-level `bosun-k8s/config` tag is not an input. */
export function resolveStepK8sConfig(input: ResolveStepInput): ResolvedK8sConfig {
  return withoutOrigins(explainStepK8sConfig(input));
}

/** A code server's config (Deployment, Service and pod), with `explain` detail. */
export function explainServerK8sConfig(input: ResolveServerInput): ExplainedK8sConfig {
  return assemble(launcherAndLocationLayers(input, "server"), input);
}

/** A code server's merged Kubernetes config. */
export function resolveServerK8sConfig(input: ResolveServerInput): ResolvedK8sConfig {
  return withoutOrigins(explainServerK8sConfig(input));
}
