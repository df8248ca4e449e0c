/**
 * JSON Schema for the config schemas (the Helm chart's values.schema.json is generated from these).
 * Kubernetes sections appear as open objects tagged `x-kubernetes-model` (their fields are checked
 * when Bosun loads the config); Bosun's own objects are closed.
 */
import { z } from "zod";
import { toCamelCase } from "../util/key-case.ts";
import { isPlainObject } from "../util/plain-object.ts";

/** Options of `k8sConfigJsonSchema`. */
export interface JsonSchemaOptions {
  /**
   * Spelling of Bosun's own keys: `snake` (canonical, bosun.yaml) or `camel` (Helm values such as
   * `runK8sConfig.containerConfig`). Either is accepted by Bosun when it loads the config.
   */
  readonly keyCase?: "snake" | "camel";
}

/**
 * @example
 * k8sConfigJsonSchema(K8sRunLauncherConfigSchema, { keyCase: "camel" }).properties.runK8sConfig
 */
export function k8sConfigJsonSchema(
  schema: z.ZodType,
  options: JsonSchemaOptions = {},
): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "throw" }) as Record<string, unknown>;
  return options.keyCase === "camel" ? (camelize(json) as Record<string, unknown>) : json;
}

function camelize(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(camelize);
  if (!isPlainObject(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "properties" && isPlainObject(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, child]) => [toCamelCase(name), camelize(child)]),
      );
    } else if (key === "required" && Array.isArray(value)) {
      out[key] = value.map((name) => (typeof name === "string" ? toCamelCase(name) : name));
    } else {
      out[key] = camelize(value);
    }
  }
  return out;
}
