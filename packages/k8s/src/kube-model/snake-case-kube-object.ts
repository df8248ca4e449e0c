import { type KubeType, kubeModel } from "./model-registry.ts";

/** Model class of each raw config section, for walking it field by field. */
export const SECTION_MODELS = {
  container_config: "V1Container",
  pod_spec_config: "V1PodSpec",
  pod_template_spec_metadata: "V1ObjectMeta",
  job_spec_config: "V1JobSpec",
  job_metadata: "V1ObjectMeta",
  deployment_metadata: "V1ObjectMeta",
  service_metadata: "V1ObjectMeta",
} as const;

/**
 * The same object with every Kubernetes field name in snake_case (`nodeSelector` → `node_selector`),
 * while keys of maps (labels, annotations, node selectors) stay as the user wrote them.
 *
 * @example
 * snakeCaseKubeObject("V1PodSpec", { nodeSelector: { "kubernetes.io/os": "linux" } })
 * // → { node_selector: { "kubernetes.io/os": "linux" } }
 */
export function snakeCaseKubeObject(
  className: string,
  value: Record<string, unknown>,
): Record<string, unknown> {
  return convert({ kind: "model", model: className }, value) as Record<string, unknown>;
}

function convert(type: KubeType, value: unknown): unknown {
  if (type.kind === "array" && Array.isArray(value)) return value.map((item) => convert(type.items, item));
  if (type.kind === "map" && isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, convert(type.values, item)]));
  }
  if (type.kind === "model" && isRecord(value)) {
    const model = kubeModel(type.model);
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => {
        const field = model.byKey.get(key);
        return field ? [field.snakeName, convert(field.type, item)] : [key, item];
      }),
    );
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
