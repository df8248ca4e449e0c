/**
 * Raw Kubernetes config: the sections copied into the Job and Pod Bosun creates. Used by the
 * `bosun-k8s/config` tag on jobs and ops, the run launcher's and a code location's
 * `run_k8s_config`, the executor's `step_k8s_config` and `per_step_k8s_config` values, and (with two
 * more sections) `server_k8s_config` for code servers.
 *
 * Canonical form: section names snake_case (`pod_spec_config`), Kubernetes fields inside a section
 * camelCase as the API spells them (`nodeSelector`). Either spelling is accepted on input at every
 * depth; label, annotation, nodeSelector and other map keys are never renamed.
 */
import { z } from "zod";
import { bosunObject, kubeObject } from "./schema-building.ts";

/** How a layer merges onto the layers below it. */
export const MergeBehaviorSchema = z
  .enum(["DEEP", "SHALLOW"])
  .describe(
    "How this config merges onto less specific scopes. DEEP (default): scalars replaced, maps merged recursively, lists appended without exact duplicates, `command` and `args` replaced. SHALLOW: each top-level field of a section replaces the less specific one whole.",
  );
/** DEEP or SHALLOW: how a raw config layer merges onto the layers below it. */
export type MergeBehavior = z.output<typeof MergeBehaviorSchema>;

/** Section names of a raw config, canonical spelling, in the order they are documented. */
export const RUN_SECTIONS = [
  "container_config",
  "pod_template_spec_metadata",
  "pod_spec_config",
  "job_metadata",
  "job_spec_config",
] as const;
/** Section names of a code server's raw config, canonical spelling. */
export const SERVER_SECTIONS = [
  "container_config",
  "pod_template_spec_metadata",
  "pod_spec_config",
  "deployment_metadata",
  "service_metadata",
] as const;
/** Every section name, run and code server. */
export const ALL_SECTIONS = [...RUN_SECTIONS, "deployment_metadata", "service_metadata"] as const;
/** A section name of a raw config. */
export type SectionName = (typeof ALL_SECTIONS)[number];

/** Merged sections: each a canonical (camelCase) Kubernetes object. */
export type K8sSections = Partial<Record<SectionName, Record<string, unknown>>>;

const containerConfig = () =>
  kubeObject("V1Container", {
    reserved: {
      args: "set by Bosun (the `api execute-run` / `execute-step` command line); set `command` to wrap the `bosun` program",
    },
  }).describe("Fields of the main container (Kubernetes Container): resources, env, volumeMounts, ...");

const podTemplateSpecMetadata = () =>
  kubeObject("V1ObjectMeta").describe("Metadata of the pod (Kubernetes ObjectMeta): labels, annotations.");

const podSpecConfig = () =>
  kubeObject("V1PodSpec").describe(
    "Fields of the pod spec (Kubernetes PodSpec): nodeSelector, tolerations, affinity, volumes, extra containers (sidecars), ...",
  );

const jobMetadata = () =>
  kubeObject("V1ObjectMeta", {
    reserved: {
      name: "set by Bosun (`bosun-run-<run id>`, `bosun-step-<hash>`)",
      generateName: "set by Bosun: Job names are derived from the run id",
      namespace: "set through `namespace` (code location) or `job_namespace` (launcher, executor)",
    },
  }).describe("Metadata of the Kubernetes Job (ObjectMeta): labels, annotations.");

const jobSpecConfig = () =>
  kubeObject("V1JobSpec", {
    reserved: { template: "set by Bosun; use `pod_spec_config` and `pod_template_spec_metadata`" },
  }).describe(
    "Fields of the Job spec (Kubernetes JobSpec): ttlSecondsAfterFinished (default 86400), backoffLimit (default 0), activeDeadlineSeconds, ...",
  );

/** Raw config for run and step pods (tags, `run_k8s_config`, `step_k8s_config`, `per_step_k8s_config`). */
export const RunK8sConfigSchema = bosunObject({
  /** The main container. */
  container_config: containerConfig().optional(),
  /** The pod's metadata. */
  pod_template_spec_metadata: podTemplateSpecMetadata().optional(),
  /** The pod's spec. */
  pod_spec_config: podSpecConfig().optional(),
  /** The Job's metadata. */
  job_metadata: jobMetadata().optional(),
  /** The Job's spec. */
  job_spec_config: jobSpecConfig().optional(),
  /** How this layer merges onto the less specific ones. */
  merge_behavior: MergeBehaviorSchema.default("DEEP"),
}).describe("Raw Kubernetes config for the Job and pod of a run or step.");
/** A raw config for a run's or step's Job and pod, parsed. */
export type RunK8sConfig = z.output<typeof RunK8sConfigSchema>;

/** Raw config for code servers (a Deployment behind a Service). */
export const ServerK8sConfigSchema = bosunObject({
  /** The code server's main container. */
  container_config: containerConfig().optional(),
  /** The code server pod's metadata. */
  pod_template_spec_metadata: podTemplateSpecMetadata().optional(),
  /** The code server pod's spec. */
  pod_spec_config: podSpecConfig().optional(),
  /** The code server Deployment's metadata. */
  deployment_metadata: kubeObject("V1ObjectMeta")
    .describe("Metadata of the code server's Deployment (ObjectMeta).")
    .optional(),
  /** The code server Service's metadata. */
  service_metadata: kubeObject("V1ObjectMeta")
    .describe("Metadata of the code server's Service (ObjectMeta).")
    .optional(),
  /** How this layer merges onto the less specific ones. */
  merge_behavior: MergeBehaviorSchema.default("DEEP"),
}).describe("Raw Kubernetes config for code servers.");
/** A raw config for code servers, parsed. */
export type ServerK8sConfig = z.output<typeof ServerK8sConfigSchema>;

/**
 * Any raw config document (`bosun k8s merge` accepts all seven sections). Its container config
 * allows no reserved fields either, so a document that previews cleanly also launches.
 */
export const AnyRawK8sConfigSchema = bosunObject({
  container_config: containerConfig().optional(),
  pod_template_spec_metadata: podTemplateSpecMetadata().optional(),
  pod_spec_config: podSpecConfig().optional(),
  job_metadata: jobMetadata().optional(),
  job_spec_config: jobSpecConfig().optional(),
  deployment_metadata: kubeObject("V1ObjectMeta").optional(),
  service_metadata: kubeObject("V1ObjectMeta").optional(),
  merge_behavior: MergeBehaviorSchema.default("DEEP"),
}).describe("A raw Kubernetes config document with any of the run and code server sections.");
/** A raw config document with any section, parsed. */
export type AnyRawK8sConfig = z.output<typeof AnyRawK8sConfigSchema>;

/** The sections of a parsed raw config, without `merge_behavior`. */
export function sectionsOf(
  config: Partial<Record<SectionName, Record<string, unknown> | undefined>>,
): K8sSections {
  const out: K8sSections = {};
  for (const section of ALL_SECTIONS) {
    const value = config[section];
    if (value !== undefined) out[section] = value;
  }
  return out;
}
