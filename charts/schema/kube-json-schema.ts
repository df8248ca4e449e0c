/**
 * JSON Schema definitions of Kubernetes objects (Container, PodSpec, Probe, ...), built from the
 * model metadata that `@kubernetes/client-node` generates from the Kubernetes OpenAPI document, so
 * the chart's values schema rejects an unknown field at any depth inside a Kubernetes object too.
 *
 * Two spellings:
 * - `camel`: the API's own field names, for values the chart copies into its manifests as they are
 *   (a code server's `resources`, the webserver's `tolerations`, ...).
 * - `any`: camelCase or snake_case for every field, for config Bosun itself reads (the run
 *   launcher's `runK8sConfig`), where both spellings are accepted at every depth.
 */
import * as kubernetes from "@kubernetes/client-node";

export type KeySpelling = "camel" | "any";

interface Attribute {
  readonly name: string;
  readonly baseName: string;
  readonly type: string;
  readonly format: string;
}

interface ModelClass {
  getAttributeTypeMap(): Attribute[];
}

type JsonSchema = Record<string, unknown>;

const models = kubernetes as unknown as Record<string, ModelClass | undefined>;

/** Fields typed `string` by the generator that hold resource quantities, also written as numbers. */
const QUANTITY_FIELDS = new Set([
  "V1ResourceRequirements.limits",
  "V1ResourceRequirements.requests",
  "V1VolumeResourceRequirements.limits",
  "V1VolumeResourceRequirements.requests",
  "V1PodSpec.overhead",
  "V1EmptyDirVolumeSource.sizeLimit",
  "V1ResourceClaim.request",
]);

/** `nodeSelector` → `node_selector`; runs of capitals split like the Python client splits them. */
export function snakeCase(key: string): string {
  return key
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/([a-z\d])([A-Z])/g, "$1_$2")
    .toLowerCase();
}

function attributesOf(model: string): Attribute[] {
  const cls = models[model];
  if (!cls || typeof cls.getAttributeTypeMap !== "function") {
    throw new Error(`@kubernetes/client-node has no model class ${model}`);
  }
  return cls.getAttributeTypeMap();
}

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
    const properties: Record<string, JsonSchema> = {};
    for (const attribute of attributesOf(model)) {
      const schema = QUANTITY_FIELDS.has(`${model}.${attribute.name}`)
        ? quantityOf(attribute.type)
        : this.typeSchema(attribute.type, attribute.format, spelling);
      properties[attribute.baseName] = schema;
      const snake = snakeCase(attribute.baseName);
      if (spelling === "any" && snake !== attribute.baseName) properties[snake] = schema;
    }
    return {
      type: "object",
      description: `Kubernetes ${model.replace(/^V\d+(alpha\d+|beta\d+)?/, "")}`,
      properties,
      additionalProperties: false,
    };
  }

  private typeSchema(type: string, format: string, spelling: KeySpelling): JsonSchema {
    switch (type) {
      case "string":
        return { type: "string" };
      case "number":
        return format === "int32" || format === "int64" ? { type: "integer" } : { type: "number" };
      case "boolean":
        return { type: "boolean" };
      case "Date":
        return { type: "string", format: "date-time" };
      case "IntOrString":
        return { type: ["integer", "string"] };
      case "any":
      case "object":
        return {};
    }
    const array = /^Array<(.+)>$/.exec(type);
    if (array) return { type: "array", items: this.typeSchema(array[1]!, "", spelling) };
    const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
    // Map keys are user data (labels, nodeSelector): never renamed, never restricted.
    if (map) return { type: "object", additionalProperties: this.typeSchema(map[1]!, "", spelling) };
    return this.ref(type, spelling);
  }
}

function quantityOf(type: string): JsonSchema {
  const one = { type: ["string", "number"] };
  return /^\{ \[key: string\]/.test(type) ? { type: "object", additionalProperties: one } : one;
}
