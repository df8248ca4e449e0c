/**
 * Turns a scope's shortcut fields (`env_vars`, `resources`, `labels`, ...) into raw config sections,
 * so that every scope is merged by the same rules (`merge.ts`). Where each field lands:
 *
 * | field | lands in |
 * |---|---|
 * | image_pull_policy | container_config.imagePullPolicy |
 * | env_config_maps, env_secrets | container_config.envFrom (configMapRef items, then secretRef items) |
 * | env_vars | container_config.env |
 * | volume_mounts | container_config.volumeMounts |
 * | resources | container_config.resources |
 * | security_context | container_config.securityContext |
 * | image_pull_secrets | pod_spec_config.imagePullSecrets |
 * | service_account_name | pod_spec_config.serviceAccountName |
 * | volumes | pod_spec_config.volumes |
 * | scheduler_name | pod_spec_config.schedulerName |
 * | labels | pod_template_spec_metadata.labels and job_metadata.labels (code servers: deployment_metadata and service_metadata labels) |
 * | job_ttl_seconds_after_finished (launcher) | job_spec_config.ttlSecondsAfterFinished |
 *
 * `image` and `namespace` are not sections: they take part in image and namespace precedence.
 */
import { K8sEnvVarNotSetError } from "../errors.ts";
import type { K8sSections } from "./raw-config.ts";

/** The shortcut fields as parsed (canonical spelling). */
export interface ShortcutFields {
  readonly image_pull_policy?: string | undefined;
  readonly image_pull_secrets?: readonly Record<string, unknown>[] | undefined;
  readonly service_account_name?: string | undefined;
  readonly env_config_maps?: readonly string[] | undefined;
  readonly env_secrets?: readonly string[] | undefined;
  readonly env_vars?: readonly string[] | undefined;
  readonly volume_mounts?: readonly Record<string, unknown>[] | undefined;
  readonly volumes?: readonly Record<string, unknown>[] | undefined;
  readonly labels?: Readonly<Record<string, string>> | undefined;
  readonly resources?: Record<string, unknown> | undefined;
  readonly security_context?: Record<string, unknown> | undefined;
  readonly scheduler_name?: string | undefined;
  readonly job_ttl_seconds_after_finished?: number | undefined;
}

export interface ToSectionsOptions {
  /** Layer name, for errors. */
  readonly layer: string;
  /** Environment of the launching process, for bare `KEY` entries of `env_vars`. */
  readonly processEnv: Readonly<Record<string, string | undefined>>;
  /** Code server sections (Deployment and Service metadata) instead of Job sections. */
  readonly target: "job" | "server";
}

/** Splits `KEY=VALUE`; a bare `KEY` takes the launching process's value. */
export function parseEnvVar(
  spec: string,
  processEnv: Readonly<Record<string, string | undefined>>,
  layer: string,
): { name: string; value: string } {
  const equals = spec.indexOf("=");
  if (equals !== -1) return { name: spec.slice(0, equals), value: spec.slice(equals + 1) };
  const value = processEnv[spec];
  if (value === undefined) throw new K8sEnvVarNotSetError(spec, layer);
  return { name: spec, value };
}

/** The sections a scope's shortcut fields stand for; empty sections are left out. */
export function shortcutSections(fields: ShortcutFields, options: ToSectionsOptions): K8sSections {
  const container: Record<string, unknown> = {};
  const podSpec: Record<string, unknown> = {};
  const jobSpec: Record<string, unknown> = {};

  if (fields.image_pull_policy !== undefined) container.imagePullPolicy = fields.image_pull_policy;
  const envFrom = [
    ...(fields.env_config_maps ?? []).map((name) => ({ configMapRef: { name } })),
    ...(fields.env_secrets ?? []).map((name) => ({ secretRef: { name } })),
  ];
  if (envFrom.length > 0) container.envFrom = envFrom;
  if (fields.env_vars !== undefined && fields.env_vars.length > 0) {
    container.env = fields.env_vars.map((spec) => parseEnvVar(spec, options.processEnv, options.layer));
  }
  if (fields.volume_mounts !== undefined && fields.volume_mounts.length > 0) {
    container.volumeMounts = structuredClone(fields.volume_mounts);
  }
  if (fields.resources !== undefined) container.resources = structuredClone(fields.resources);
  if (fields.security_context !== undefined)
    container.securityContext = structuredClone(fields.security_context);

  if (fields.image_pull_secrets !== undefined && fields.image_pull_secrets.length > 0) {
    podSpec.imagePullSecrets = structuredClone(fields.image_pull_secrets);
  }
  if (fields.service_account_name !== undefined) podSpec.serviceAccountName = fields.service_account_name;
  if (fields.volumes !== undefined && fields.volumes.length > 0)
    podSpec.volumes = structuredClone(fields.volumes);
  if (fields.scheduler_name !== undefined) podSpec.schedulerName = fields.scheduler_name;

  if (fields.job_ttl_seconds_after_finished !== undefined) {
    jobSpec.ttlSecondsAfterFinished = fields.job_ttl_seconds_after_finished;
  }

  const sections: K8sSections = {};
  if (Object.keys(container).length > 0) sections.container_config = container;
  if (Object.keys(podSpec).length > 0) sections.pod_spec_config = podSpec;
  const labels =
    fields.labels !== undefined && Object.keys(fields.labels).length > 0 ? fields.labels : undefined;
  if (labels !== undefined) sections.pod_template_spec_metadata = { labels: { ...labels } };
  if (options.target === "job") {
    if (labels !== undefined) sections.job_metadata = { labels: { ...labels } };
    if (Object.keys(jobSpec).length > 0) sections.job_spec_config = jobSpec;
  } else if (labels !== undefined) {
    sections.deployment_metadata = { labels: { ...labels } };
    sections.service_metadata = { labels: { ...labels } };
  }
  return sections;
}
