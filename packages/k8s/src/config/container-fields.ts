/**
 * The fields the run launcher, the executor and a code location's container context all accept
 * (the seeds' `container_context.k8s` vocabulary). Each is a shortcut that lands in a raw config
 * section (see `to-sections.ts`), except `image`, which takes part in image precedence.
 */
import { z } from "zod";
import { checkLabels, type KubeIssue } from "../kube-model/normalize-kube-object.ts";
import { isDns1123Label, isDns1123Subdomain } from "../kube-model/object-names.ts";
import { RunK8sConfigSchema, ServerK8sConfigSchema } from "./raw-config.ts";
import type { IssueParams } from "./schema-building.ts";
import { kubeObject } from "./schema-building.ts";

const subdomainName = (what: string) =>
  z.string().refine(isDns1123Subdomain, {
    message: `expected a Kubernetes ${what} name: lowercase letters, digits, '-' and '.', at most 253 characters`,
    params: { expected: `a Kubernetes ${what} name` } satisfies IssueParams,
  });

/** A namespace name (RFC 1123 label). */
export const NamespaceSchema = z.string().refine(isDns1123Label, {
  message: "expected a Kubernetes namespace name: lowercase letters, digits and '-', at most 63 characters",
  params: { expected: "a Kubernetes namespace name" } satisfies IssueParams,
});

/** `KEY=VALUE`, or `KEY` to pass the launching process's value of KEY. */
export const EnvVarSpecSchema = z.string().regex(/^[-._a-zA-Z][-._a-zA-Z0-9]*(=[\s\S]*)?$/, {
  message: "expected KEY=VALUE or KEY (KEY of letters, digits, '_', '-', '.', not starting with a digit)",
});

/** Labels: keys and values checked against Kubernetes label syntax. */
export const LabelsSchema = z.record(z.string(), z.string()).superRefine((labels, ctx) => {
  const issues: KubeIssue[] = [];
  checkLabels(labels, [], issues);
  for (const issue of issues) {
    const params: IssueParams = { expected: issue.expected };
    ctx.addIssue({ code: "custom", path: [...issue.path], input: labels, params, message: issue.message });
  }
});

/** The fields shared by the run launcher, the executor and the container context. */
export const containerFieldsShape = {
  /** Image of the run or step container. Precedence: `container_config.image` > code location > executor > launcher. */
  image: z
    .string()
    .min(1)
    .describe("Container image. Precedence: container_config.image > code location > executor > launcher.")
    .optional(),
  /** → `container_config.imagePullPolicy`. */
  image_pull_policy: z
    .enum(["Always", "IfNotPresent", "Never"])
    .describe("Image pull policy of the main container (container_config.imagePullPolicy).")
    .optional(),
  /** → `pod_spec_config.imagePullSecrets`. */
  image_pull_secrets: z
    .array(kubeObject("V1LocalObjectReference"))
    .describe("Secrets for pulling the image, as [{name: ...}] (pod_spec_config.imagePullSecrets).")
    .optional(),
  /** → `pod_spec_config.serviceAccountName`. */
  service_account_name: subdomainName("ServiceAccount")
    .describe("Service account of the pod (pod_spec_config.serviceAccountName).")
    .optional(),
  /** → `container_config.envFrom` `configMapRef`s, before the secrets. */
  env_config_maps: z
    .array(subdomainName("ConfigMap"))
    .describe("ConfigMaps whose keys become environment variables (container_config.envFrom).")
    .optional(),
  /** → `container_config.envFrom` `secretRef`s, after the config maps. */
  env_secrets: z
    .array(subdomainName("Secret"))
    .describe("Secrets whose keys become environment variables (container_config.envFrom).")
    .optional(),
  /** → `container_config.env`: `KEY=VALUE`, or `KEY` for the launching process's value. */
  env_vars: z
    .array(EnvVarSpecSchema)
    .describe(
      "Environment variables: KEY=VALUE, or KEY to pass the launching process's value (container_config.env).",
    )
    .optional(),
  /** → `container_config.volumeMounts`. */
  volume_mounts: z
    .array(kubeObject("V1VolumeMount"))
    .describe("Volume mounts of the main container (container_config.volumeMounts).")
    .optional(),
  /** → `pod_spec_config.volumes`. */
  volumes: z
    .array(kubeObject("V1Volume"))
    .describe("Volumes of the pod (pod_spec_config.volumes).")
    .optional(),
  /** → `pod_template_spec_metadata.labels` and `job_metadata.labels` (and code server Deployment/Service labels). */
  labels: LabelsSchema.describe(
    "Labels for the pod and the Job (and a code server's Deployment and Service).",
  ).optional(),
  /** → `container_config.resources`. */
  resources: kubeObject("V1ResourceRequirements")
    .describe("Resource requests and limits of the main container (container_config.resources).")
    .optional(),
  /** → `container_config.securityContext` (the container's, not the pod's). */
  security_context: kubeObject("V1SecurityContext")
    .describe("Security context of the main container (container_config.securityContext).")
    .optional(),
  /** → `pod_spec_config.schedulerName`. */
  scheduler_name: z
    .string()
    .min(1)
    .describe("Scheduler of the pod (pod_spec_config.schedulerName).")
    .optional(),
};

/** Raw config for run pods, layered on top of the same scope's shortcut fields. */
export const runK8sConfigField = () =>
  RunK8sConfigSchema.describe(
    "Raw Kubernetes config for run pods, applied on top of this scope's other fields.",
  ).optional();

/** Raw config for code servers, layered on top of the same scope's shortcut fields. */
export const serverK8sConfigField = () =>
  ServerK8sConfigSchema.describe(
    "Raw Kubernetes config for code servers (Deployment, Service, pod), applied on top of this scope's other fields.",
  ).optional();
