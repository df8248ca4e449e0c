/**
 * JSON Schema definitions of Kubernetes objects (Container, PodSpec, Probe, ...), built from the
 * model metadata that `@kubernetes/client-node` generates from the Kubernetes OpenAPI document (read
 * through `@bosun/k8s`'s `kubeModel`, the same fields and types Bosun checks config against), so the
 * chart's values schema rejects an unknown field at any depth inside a Kubernetes object too.
 *
 * Two spellings:
 * - `camel`: the API's own field names, for values the chart copies into its manifests as they are
 *   (a code server's `resources`, the webserver's `tolerations`, ...).
 * - `any`: camelCase or snake_case for every field, for config Bosun itself reads (the run
 *   launcher's `runK8sConfig`), where both spellings are accepted at every depth.
 */
import { type KubeType, kubeModel } from "@bosun/k8s";

export type KeySpelling = "camel" | "any";

type JsonSchema = Record<string, unknown>;

/** The `$defs` key of a model in one spelling, e.g. `io.k8s.V1PodSpec` or `io.k8s.any.V1PodSpec`. */
export function defName(model: string, spelling: KeySpelling): string {
  return spelling === "camel" ? `io.k8s.${model}` : `io.k8s.any.${model}`;
}

/**
 * Collects the definitions of the models it is asked for and of every model they reach.
 *
 * @example
 * const defs = new KubeDefinitions();
 * const probe = defs.ref("V1Probe", "camel"); // { $ref: "#/$defs/io.k8s.V1Probe" }
 * schema.$defs = defs.all();
 */
export class KubeDefinitions {
  private readonly defs = new Map<string, JsonSchema>();

  /** A `$ref` to `model` in `spelling`, defining it (and what it reaches) on first use. */
  ref(model: string, spelling: KeySpelling): JsonSchema {
    this.define(model, spelling);
    return { $ref: `#/$defs/${defName(model, spelling)}` };
  }

  /**
   * The definition of `model` with extra properties of the chart's own (a probe's `enabled`),
   * inlined rather than shared.
   */
  extended(model: string, spelling: KeySpelling, extra: Record<string, JsonSchema>): JsonSchema {
    const base = this.build(model, spelling);
    return { ...base, properties: { ...(base.properties as JsonSchema), ...extra } };
  }

  /** Every definition made so far, sorted by name so the generated file is stable. */
  all(): Record<string, JsonSchema> {
    return Object.fromEntries([...this.defs.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  private define(model: string, spelling: KeySpelling): void {
    const name = defName(model, spelling);
    if (this.defs.has(name)) return;
    this.defs.set(name, {}); // placeholder: models refer to themselves (JSONSchemaProps, ...)
    this.defs.set(name, this.build(model, spelling));
  }

  private build(model: string, spelling: KeySpelling): JsonSchema {
    const { fields, displayName } = kubeModel(model);
    const properties: Record<string, JsonSchema> = {};
    for (const field of fields) {
      const schema = this.typeSchema(field.type, spelling);
      properties[field.name] = schema;
      if (spelling === "any" && field.snakeName !== field.name) properties[field.snakeName] = schema;
    }
    return {
      type: "object",
      description: `Kubernetes ${displayName}`,
      properties,
      additionalProperties: false,
    };
  }

  private typeSchema(type: KubeType, spelling: KeySpelling): JsonSchema {
    switch (type.kind) {
      case "string":
        return { type: "string" };
      case "integer":
        return { type: "integer" };
      case "number":
        return { type: "number" };
      case "boolean":
        return { type: "boolean" };
      case "date":
        return { type: "string", format: "date-time" };
      case "int-or-string":
        return { type: ["integer", "string"] };
      case "quantity":
        return { type: ["string", "number"] };
      case "any":
        return {};
      case "array":
        return { type: "array", items: this.typeSchema(type.items, spelling) };
      case "map":
        // Map keys are user data (labels, nodeSelector): never renamed, never restricted.
        return { type: "object", additionalProperties: this.typeSchema(type.values, spelling) };
      case "model":
        return this.ref(type.model, spelling);
    }
  }
}
