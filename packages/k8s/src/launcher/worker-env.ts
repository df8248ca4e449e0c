/**
 * Variables the K8sRunLauncher gives the run pod so that the k8sJobExecutor inside it can build step
 * Jobs with the same layers (launcher config, code location's container context) and make them
 * dependents of the run's Job.
 */
import type { K8sContainerContext } from "../config/container-context.ts";
import { K8sContainerContextSchema } from "../config/container-context.ts";
import { type K8sRunLauncherConfig, K8sRunLauncherConfigSchema } from "../config/launcher-config.ts";
import { parseK8sConfig } from "../config/parse.ts";

/** The launcher config, JSON. */
export const LAUNCHER_CONFIG_ENV = "BOSUN_K8S_LAUNCHER_CONFIG";
/** The code location's container context, JSON `{"k8s": {...}}` (the same variable a code server reads). */
export const CONTAINER_CONTEXT_ENV = "BOSUN_CONTAINER_CONTEXT";
/** Name of the run's Job. */
export const RUN_JOB_NAME_ENV = "BOSUN_K8S_RUN_JOB_NAME";
/** Namespace of the run's Job. */
export const RUN_NAMESPACE_ENV = "BOSUN_K8S_RUN_NAMESPACE";
/** Image of the run pod: step pods use it when no layer names one. */
export const RUN_IMAGE_ENV = "BOSUN_K8S_RUN_IMAGE";

type Env = Readonly<Record<string, string | undefined>>;

/** A code location's `container_context` JSON → its parsed `k8s` part (undefined when it has none). */
export function k8sContainerContextOf(
  containerContext: unknown,
  source = "container_context",
): K8sContainerContext | undefined {
  if (containerContext === null || containerContext === undefined) return undefined;
  if (typeof containerContext !== "object" || Array.isArray(containerContext))
    return parseK8sConfig(K8sContainerContextSchema, containerContext, source);
  const k8s = (containerContext as Record<string, unknown>).k8s;
  if (k8s === undefined || k8s === null) return undefined;
  return parseK8sConfig(K8sContainerContextSchema, k8s, `${source}.k8s`);
}

/**
 * What a run pod knows from its environment: the launcher config, the location's container context, its own
 * Job and image.
 */
export interface RunPodSettings {
  readonly launcher?: K8sRunLauncherConfig;
  readonly containerContext?: K8sContainerContext;
  readonly runJob?: { readonly name: string; readonly namespace: string };
  readonly runImage?: string;
}

/** What the run pod's environment says about the launcher, the location and the run's Job. */
export function runPodSettingsFromEnv(env: Env = process.env): RunPodSettings {
  const launcherJson = env[LAUNCHER_CONFIG_ENV];
  const contextJson = env[CONTAINER_CONTEXT_ENV];
  const jobName = env[RUN_JOB_NAME_ENV];
  const namespace = env[RUN_NAMESPACE_ENV];
  const launcher =
    launcherJson === undefined || launcherJson === ""
      ? undefined
      : parseK8sConfig(
          K8sRunLauncherConfigSchema,
          parseJson(launcherJson, LAUNCHER_CONFIG_ENV),
          LAUNCHER_CONFIG_ENV,
        );
  const containerContext =
    contextJson === undefined || contextJson === ""
      ? undefined
      : k8sContainerContextOf(parseJson(contextJson, CONTAINER_CONTEXT_ENV), CONTAINER_CONTEXT_ENV);
  return {
    ...(launcher ? { launcher } : {}),
    ...(containerContext ? { containerContext } : {}),
    ...(jobName && namespace ? { runJob: { name: jobName, namespace } } : {}),
    ...(env[RUN_IMAGE_ENV] ? { runImage: env[RUN_IMAGE_ENV] } : {}),
  };
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not valid JSON: ${(error as Error).message}`);
  }
}
