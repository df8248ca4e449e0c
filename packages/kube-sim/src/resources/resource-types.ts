/**
 * The resource types kube-sim knows: their group/version/kind, REST names, scope and the
 * `@kubernetes/client-node` model class that describes their schema.
 */
export interface ResourceType {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Plural REST name (`pods`). */
  readonly plural: string;
  readonly singular: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  /** Name of the generated model class in `@kubernetes/client-node`. */
  readonly model: string;
  /** Subresources served besides the main resource. */
  readonly subresources: readonly string[];
  /** Rule the object's own name must follow. */
  readonly nameRule: "subdomain" | "label" | "dns1035";
  /**
   * Set for kinds kube-sim stores but does not act on (no controller): the API server answers
   * writes of these with a `Warning` header saying so, instead of silently pretending.
   */
  readonly inert?: string;
  readonly categories?: readonly string[];
}

function t(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  extra: Partial<
    Pick<ResourceType, "shortNames" | "model" | "subresources" | "nameRule" | "inert" | "categories">
  > = {},
): ResourceType {
  return {
    group,
    version,
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    shortNames: extra.shortNames ?? [],
    model: extra.model ?? `V1${kind}`,
    subresources: extra.subresources ?? [],
    nameRule: extra.nameRule ?? "subdomain",
    inert: extra.inert,
    categories: extra.categories,
  };
}

const noController = (kind: string) => `kube-sim stores ${kind} objects but has no controller for them`;

export const RESOURCE_TYPES: readonly ResourceType[] = [
  t("", "v1", "Namespace", "namespaces", false, {
    shortNames: ["ns"],
    nameRule: "label",
    subresources: ["status", "finalize"],
  }),
  t("", "v1", "Pod", "pods", true, {
    shortNames: ["po"],
    subresources: ["status", "log"],
    categories: ["all"],
  }),
  t("", "v1", "Service", "services", true, {
    shortNames: ["svc"],
    nameRule: "dns1035",
    subresources: ["status"],
    categories: ["all"],
  }),
  t("", "v1", "Endpoints", "endpoints", true, { shortNames: ["ep"] }),
  t("", "v1", "ConfigMap", "configmaps", true, { shortNames: ["cm"] }),
  t("", "v1", "Secret", "secrets", true),
  t("", "v1", "ServiceAccount", "serviceaccounts", true, { shortNames: ["sa"] }),
  t("", "v1", "Event", "events", true, { shortNames: ["ev"], model: "CoreV1Event" }),
  t("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", true, {
    shortNames: ["pvc"],
    subresources: ["status"],
  }),
  t("", "v1", "PersistentVolume", "persistentvolumes", false, {
    shortNames: ["pv"],
    inert: noController("PersistentVolume"),
  }),
  t("", "v1", "Node", "nodes", false, { shortNames: ["no"], subresources: ["status"] }),
  t("", "v1", "LimitRange", "limitranges", true, {
    shortNames: ["limits"],
    inert: noController("LimitRange"),
  }),
  t("", "v1", "ResourceQuota", "resourcequotas", true, {
    shortNames: ["quota"],
    inert: noController("ResourceQuota"),
  }),
  t("batch", "v1", "Job", "jobs", true, { subresources: ["status"], nameRule: "label", categories: ["all"] }),
  t("batch", "v1", "CronJob", "cronjobs", true, {
    shortNames: ["cj"],
    subresources: ["status"],
    inert: noController("CronJob"),
    categories: ["all"],
  }),
  t("apps", "v1", "Deployment", "deployments", true, {
    shortNames: ["deploy"],
    subresources: ["status", "scale"],
    categories: ["all"],
  }),
  t("apps", "v1", "ReplicaSet", "replicasets", true, {
    shortNames: ["rs"],
    subresources: ["status", "scale"],
    categories: ["all"],
  }),
  t("apps", "v1", "StatefulSet", "statefulsets", true, {
    shortNames: ["sts"],
    subresources: ["status", "scale"],
    nameRule: "label",
    categories: ["all"],
  }),
  t("apps", "v1", "DaemonSet", "daemonsets", true, {
    shortNames: ["ds"],
    subresources: ["status"],
    inert: noController("DaemonSet"),
    categories: ["all"],
  }),
  t("rbac.authorization.k8s.io", "v1", "Role", "roles", true, {
    inert: "kube-sim stores RBAC objects but does not enforce them",
  }),
  t("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true, {
    inert: "kube-sim stores RBAC objects but does not enforce them",
  }),
  t("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false, {
    inert: "kube-sim stores RBAC objects but does not enforce them",
  }),
  t("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false, {
    inert: "kube-sim stores RBAC objects but does not enforce them",
  }),
  t("networking.k8s.io", "v1", "Ingress", "ingresses", true, {
    shortNames: ["ing"],
    subresources: ["status"],
    inert: "kube-sim stores Ingress objects but routes no traffic for them",
  }),
  t("networking.k8s.io", "v1", "IngressClass", "ingressclasses", false),
  t("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", true, {
    shortNames: ["netpol"],
    inert: "kube-sim stores NetworkPolicy objects but does not enforce them",
  }),
  t("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, {
    shortNames: ["pdb"],
    subresources: ["status"],
    inert: noController("PodDisruptionBudget"),
  }),
  t("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, {
    shortNames: ["hpa"],
    model: "V2HorizontalPodAutoscaler",
    subresources: ["status"],
    inert: noController("HorizontalPodAutoscaler"),
  }),
  t("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", false, { shortNames: ["pc"] }),
  t("storage.k8s.io", "v1", "StorageClass", "storageclasses", false, { shortNames: ["sc"] }),
  t("coordination.k8s.io", "v1", "Lease", "leases", true),
];

export function apiVersionOf(type: ResourceType): string {
  return type.group === "" ? type.version : `${type.group}/${type.version}`;
}

const byApiVersionKind = new Map(RESOURCE_TYPES.map((r) => [`${apiVersionOf(r)}|${r.kind}`, r]));

/** The resource type for an object's `apiVersion` and `kind`, if kube-sim knows it. */
export function resourceTypeFor(apiVersion: string, kind: string): ResourceType | undefined {
  return byApiVersionKind.get(`${apiVersion}|${kind}`);
}

export function resourceTypeByPlural(
  group: string,
  version: string,
  plural: string,
): ResourceType | undefined {
  return RESOURCE_TYPES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

export function kindsForApiVersion(apiVersion: string): string[] {
  return RESOURCE_TYPES.filter((r) => apiVersionOf(r) === apiVersion).map((r) => r.kind);
}
