/**
 * Builds the Kubernetes Job for a run or a step worker from a resolved config. Pure: no cluster,
 * no environment, no clock. Where user config and Bosun meet:
 *
 * - Job spec: `backoffLimit: 0` and `ttlSecondsAfterFinished: 86400` unless `job_spec_config` says
 *   otherwise; the pod template is always Bosun's.
 * - Pod spec: `restartPolicy: Never` unless `pod_spec_config` says otherwise; the main container
 *   first, then `pod_spec_config.containers` as sidecars.
 * - Main container: `container_config` plus the image, the Bosun program as `command` (unless the config
 *   sets `command` to wrap it) and its command line as `args`, and env:
 *   Bosun's variables first (BOSUN_HOME, run id, job name, step key, BOSUN_PG_PASSWORD from its secret),
 *   then the user's. `envFrom` lists config maps, then secrets.
 * - Labels: `app.kubernetes.io/{name,instance,version,part-of}`, then user labels, then the
 *   identity labels (`app.kubernetes.io/component`, `bosun/*`), which always win.
 *
 * Secret values never appear: the database password is a `secretKeyRef`.
 */
import type {
  V1Container,
  V1EnvFromSource,
  V1EnvVar,
  V1Job,
  V1ObjectMeta,
  V1OwnerReference,
  V1PodSpec,
  V1Volume,
  V1VolumeMount,
} from "@kubernetes/client-node";
import type { ResolvedK8sConfig } from "../config/resolve.ts";
import { K8sReservedFieldError } from "../errors.ts";
import { type BosunLabelInput, commonLabels, identityLabels, type WorkerComponent } from "./labels.ts";

/** Default `ttlSecondsAfterFinished` of Bosun Jobs: one day. */
export const DEFAULT_JOB_TTL_SECONDS = 86_400;
/** Name of the main container unless `container_config.name` says otherwise. */
export const MAIN_CONTAINER_NAME = "bosun";
/** Key of the database password in `postgres_password_secret`. */
export const POSTGRES_PASSWORD_KEY = "postgresql-password";
/** Key of the instance config in `instance_config_map`. */
export const INSTANCE_CONFIG_KEY = "bosun.yaml";
/** Volume through which the instance ConfigMap is mounted. */
export const INSTANCE_VOLUME_NAME = "bosun-instance-config";

/** What run and step worker Jobs are both built from: the fields `RunJobInput` and `StepJobInput` share. */
export interface WorkerJobInput {
  readonly runId: string;
  /** The Bosun job the run executes. */
  readonly jobName: string;
  readonly codeLocation?: string;
  /**
   * The container's command line, e.g. `["bosun", "api", "execute-run", runId]` or
   * `["bosun", "api", "execute-step"]`; goes into `args`.
   */
  readonly argv: readonly string[];
  /**
   * More Bosun variables for the container (e.g. the serialised step arguments), after BOSUN_HOME, the
   * workload's identity (BOSUN_RUN_ID, BOSUN_JOB_NAME, and BOSUN_STEP_KEY for a step) and BOSUN_PG_PASSWORD.
   */
  readonly env?: readonly V1EnvVar[];
  /** From `resolveRunK8sConfig` for a run worker, `resolveStepK8sConfig` for a step worker. */
  readonly config: ResolvedK8sConfig;
  /** Bosun's version, for `app.kubernetes.io/version`. */
  readonly bosunVersion: string;
  /** `app.kubernetes.io/instance`; default `bosun`. */
  readonly instanceName?: string;
}

/** What differs between a run's Job and a step's, decided by `buildRunJob` and `buildStepJob`. */
export interface JobManifestInput {
  readonly name: string;
  readonly image: string;
  readonly component: WorkerComponent;
  /** The step key, for step workers. */
  readonly stepKey?: string;
  readonly ownerReferences?: readonly V1OwnerReference[];
}

type Section = Record<string, unknown>;

function split<K extends string>(section: Section | undefined, keys: readonly K[]) {
  const rest: Section = { ...(section ?? {}) };
  const picked: Partial<Record<K, unknown>> = {};
  for (const key of keys) {
    if (key in rest) {
      picked[key] = rest[key];
      delete rest[key];
    }
  }
  return { picked, rest };
}

/** The workload's identity, which names it both in labels and in the container's environment. */
function identityOf(worker: WorkerJobInput, job: JobManifestInput): BosunLabelInput {
  return {
    component: job.component,
    jobName: worker.jobName,
    runId: worker.runId,
    stepKey: job.stepKey,
    codeLocation: worker.codeLocation,
    bosunVersion: worker.bosunVersion,
    instanceName: worker.instanceName,
  };
}

/** Bosun's variables, in order: BOSUN_HOME, the workload's identity, the database password, the caller's. */
function bosunEnvOf(worker: WorkerJobInput, identity: BosunLabelInput): V1EnvVar[] {
  const { instance } = worker.config;
  return [
    { name: "BOSUN_HOME", value: instance.bosunHome },
    { name: "BOSUN_RUN_ID", value: identity.runId },
    { name: "BOSUN_JOB_NAME", value: identity.jobName },
    ...(identity.stepKey === undefined ? [] : [{ name: "BOSUN_STEP_KEY", value: identity.stepKey }]),
    ...(instance.postgresPasswordSecret === undefined
      ? []
      : [
          {
            name: "BOSUN_PG_PASSWORD",
            valueFrom: {
              secretKeyRef: { name: instance.postgresPasswordSecret, key: POSTGRES_PASSWORD_KEY },
            },
          },
        ]),
    ...(worker.env ?? []),
  ];
}

/** Config maps first, then secrets, each in layer order: a secret's key wins over a config map's. */
function orderEnvFrom(sources: readonly V1EnvFromSource[]): V1EnvFromSource[] {
  return [
    ...sources.filter((source) => source.configMapRef !== undefined),
    ...sources.filter((source) => source.configMapRef === undefined && source.secretRef !== undefined),
    ...sources.filter((source) => source.configMapRef === undefined && source.secretRef === undefined),
  ];
}

function labelsFor(identity: BosunLabelInput, user: unknown): Record<string, string> {
  return {
    ...commonLabels(identity),
    ...((user as Record<string, string> | undefined) ?? {}),
    ...identityLabels(identity),
  };
}

/** Builds the Job; throws `K8sReservedFieldError` when user config sets what Bosun must own. */
export function buildJobManifest(worker: WorkerJobInput, job: JobManifestInput): V1Job {
  const { sections, namespace, instance } = worker.config;
  const identity = identityOf(worker, job);

  const container = split(sections.container_config, ["env", "envFrom", "volumeMounts", "image", "args"]);
  const bosunEnv = bosunEnvOf(worker, identity);
  const reservedNames = new Set(bosunEnv.map((variable) => variable.name));
  const userEnv = (container.picked.env as V1EnvVar[] | undefined) ?? [];
  for (const variable of userEnv) {
    if (reservedNames.has(variable.name)) {
      throw new K8sReservedFieldError(
        "container_config.env",
        `${variable.name} is set by Bosun${variable.name === "BOSUN_HOME" ? "; use `bosun_home` in the run launcher config" : ""}`,
      );
    }
  }

  const volumes = [...((sections.pod_spec_config?.volumes as V1Volume[] | undefined) ?? [])];
  const volumeMounts = [...((container.picked.volumeMounts as V1VolumeMount[] | undefined) ?? [])];
  if (instance.instanceConfigMap !== undefined) {
    if (volumes.some((volume) => volume.name === INSTANCE_VOLUME_NAME)) {
      throw new K8sReservedFieldError(
        "pod_spec_config.volumes",
        `the volume name ${INSTANCE_VOLUME_NAME} is used by Bosun for the instance config`,
      );
    }
    volumes.push({ name: INSTANCE_VOLUME_NAME, configMap: { name: instance.instanceConfigMap } });
    volumeMounts.push({
      name: INSTANCE_VOLUME_NAME,
      mountPath: `${instance.bosunHome.replace(/\/+$/, "")}/${INSTANCE_CONFIG_KEY}`,
      subPath: INSTANCE_CONFIG_KEY,
      readOnly: true,
    });
  }

  const wrapper = (container.rest as Partial<V1Container>).command;
  const envFrom = orderEnvFrom((container.picked.envFrom as V1EnvFromSource[] | undefined) ?? []);
  const main: V1Container = {
    name: MAIN_CONTAINER_NAME,
    ...(container.rest as Partial<V1Container>),
    image: job.image,
    // Both are set, so the Job runs the same whatever the image's ENTRYPOINT is: `command` is `bosun` and
    // `args` its command line, or, when the config sets `command` to wrap it (`["/tini", "--"]`), the
    // wrapper gets the whole `bosun ...` line as its arguments.
    ...(wrapper
      ? { command: wrapper, args: [...worker.argv] }
      : { command: [worker.argv[0]!], args: worker.argv.slice(1) }),
    env: [...bosunEnv, ...userEnv],
    ...(envFrom.length > 0 ? { envFrom } : {}),
    ...(volumeMounts.length > 0 ? { volumeMounts } : {}),
  };

  const pod = split(sections.pod_spec_config, ["containers", "volumes"]);
  const sidecars = (pod.picked.containers as V1Container[] | undefined) ?? [];
  const podSpec: V1PodSpec = {
    restartPolicy: "Never",
    ...(pod.rest as Partial<V1PodSpec>),
    containers: [main, ...sidecars],
    ...(volumes.length > 0 ? { volumes } : {}),
  };

  const podMeta = split(sections.pod_template_spec_metadata, ["labels"]);
  const podMetadata: V1ObjectMeta = {
    ...(podMeta.rest as V1ObjectMeta),
    labels: labelsFor(identity, podMeta.picked.labels),
  };

  const jobMeta = split(sections.job_metadata, ["labels", "ownerReferences"]);
  const ownerReferences = [
    ...((jobMeta.picked.ownerReferences as V1OwnerReference[] | undefined) ?? []),
    ...(job.ownerReferences ?? []),
  ];
  const jobMetadata: V1ObjectMeta = {
    ...(jobMeta.rest as V1ObjectMeta),
    name: job.name,
    namespace,
    labels: labelsFor(identity, jobMeta.picked.labels),
    ...(ownerReferences.length > 0 ? { ownerReferences } : {}),
  };

  const jobSpec = split(sections.job_spec_config, ["template"]);
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: jobMetadata,
    spec: {
      backoffLimit: 0,
      ttlSecondsAfterFinished: DEFAULT_JOB_TTL_SECONDS,
      ...(jobSpec.rest as Record<string, unknown>),
      template: { metadata: podMetadata, spec: podSpec },
    },
  };
}
