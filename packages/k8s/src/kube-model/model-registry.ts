/**
 * Kubernetes field metadata, read from the generated model classes that `@kubernetes/client-node`
 * ships (each has a static `attributeTypeMap` of `{ name, baseName, type, format }`). This is the
 * one place that knows how to read them; everything else asks for a `KubeModel` by class name.
 */
import * as kubernetes from "@kubernetes/client-node";
import { toSnakeCase } from "../util/key-case.ts";

/** The type of one Kubernetes field, parsed from the generated type string. */
export type KubeType =
  | { readonly kind: "string" }
  | { readonly kind: "integer" }
  | { readonly kind: "number" }
  | { readonly kind: "boolean" }
  | { readonly kind: "date" }
  | { readonly kind: "int-or-string" }
  /** A resource quantity (`500m`, `2Gi`); a plain number is accepted and written as a string. */
  | { readonly kind: "quantity" }
  | { readonly kind: "any" }
  | { readonly kind: "array"; readonly items: KubeType }
  /** `{ [key: string]: T }`: keys are user data (labels, annotations, nodeSelector) and never renamed. */
  | { readonly kind: "map"; readonly values: KubeType }
  | { readonly kind: "model"; readonly model: string };

/** One field of a Kubernetes model, with both accepted spellings and its type. */
export interface KubeField {
  /** The API (wire) name, camelCase: `nodeSelector`. */
  readonly name: string;
  /** The snake_case spelling also accepted: `node_selector`. */
  readonly snakeName: string;
  readonly type: KubeType;
}

/** A Kubernetes object type as the client library describes it: its fields, looked up by either spelling. */
export interface KubeModel {
  /** Generated class name, e.g. `V1PodSpec`. */
  readonly className: string;
  /** Kubernetes kind-like name for messages, e.g. `PodSpec`. */
  readonly displayName: string;
  readonly fields: readonly KubeField[];
  /** Looks a user key up by either spelling. */
  readonly byKey: ReadonlyMap<string, KubeField>;
}

interface AttributeType {
  readonly name: string;
  readonly baseName: string;
  readonly type: string;
  readonly format: string;
}

/**
 * Fields whose generated type is `string` but that hold resource quantities, which Kubernetes
 * also accepts as JSON numbers (`cpu: 1`).
 */
const QUANTITY_FIELDS = new Set([
  "V1ResourceRequirements.limits",
  "V1ResourceRequirements.requests",
  "V1VolumeResourceRequirements.limits",
  "V1VolumeResourceRequirements.requests",
  "V1PodSpec.overhead",
  "V1EmptyDirVolumeSource.sizeLimit",
  "V1ResourceFieldSelector.divisor",
]);

const models = new Map<string, KubeModel>();

function attributeTypesOf(className: string): readonly AttributeType[] | undefined {
  const candidate = (kubernetes as Record<string, unknown>)[className] as
    | { attributeTypeMap?: readonly AttributeType[] }
    | undefined;
  return Array.isArray(candidate?.attributeTypeMap) ? candidate.attributeTypeMap : undefined;
}

/** True when `@kubernetes/client-node` ships a model class of that name. */
export function hasKubeModel(className: string): boolean {
  return attributeTypesOf(className) !== undefined;
}

/** The model for a generated class name such as `V1Container`; throws for an unknown name (a bug). */
export function kubeModel(className: string): KubeModel {
  const cached = models.get(className);
  if (cached) return cached;
  const attributes = attributeTypesOf(className);
  if (!attributes) throw new Error(`@kubernetes/client-node has no model class ${className}`);
  const fields = attributes.map((attribute): KubeField => {
    const quantity = QUANTITY_FIELDS.has(`${className}.${attribute.baseName}`);
    return {
      name: attribute.baseName,
      snakeName: toSnakeCase(attribute.baseName),
      type: parseKubeType(attribute.type, attribute.format, quantity),
    };
  });
  const byKey = new Map<string, KubeField>();
  for (const field of fields) {
    byKey.set(field.name, field);
    byKey.set(field.snakeName, field);
  }
  const model: KubeModel = {
    className,
    displayName: className.replace(/^(Core|Events|Rbac|Storage|Resource)?V\d+((alpha|beta)\d+)?/, ""),
    fields,
    byKey,
  };
  models.set(className, model);
  return model;
}

/** Parses a generated type string: `Array<V1EnvVar>`, `{ [key: string]: string; }`, `V1Probe`, `number`. */
export function parseKubeType(type: string, format: string, quantity = false): KubeType {
  const trimmed = type.trim();
  const array = /^Array<(.+)>$/.exec(trimmed);
  if (array) return { kind: "array", items: parseKubeType(array[1]!, "", quantity) };
  const map = /^\{\s*\[key: string\]:\s*(.+?);?\s*\}$/.exec(trimmed);
  if (map) return { kind: "map", values: parseKubeType(map[1]!, format, quantity) };
  switch (trimmed) {
    case "string":
      return quantity ? { kind: "quantity" } : { kind: "string" };
    case "number":
      return format === "int32" || format === "int64" ? { kind: "integer" } : { kind: "number" };
    case "boolean":
      return { kind: "boolean" };
    case "Date":
      return { kind: "date" };
    case "IntOrString":
      return { kind: "int-or-string" };
    case "any":
    case "object":
      return { kind: "any" };
    default:
      if (hasKubeModel(trimmed)) return { kind: "model", model: trimmed };
      // A type this version of the client does not describe: accept anything rather than
      // reject valid input; the API server remains the final judge.
      return { kind: "any" };
  }
}

/** Human wording of a type for "expected ..." messages: `a list of EnvVar maps`. */
export function describeKubeType(type: KubeType): string {
  return noun(type, false);
}

function noun(type: KubeType, plural: boolean): string {
  const one = (singular: string, many: string) => (plural ? many : singular);
  switch (type.kind) {
    case "string":
    case "date":
      return one("a string", "strings");
    case "integer":
      return one("an integer", "integers");
    case "number":
      return one("a number", "numbers");
    case "boolean":
      return one("true or false", "booleans");
    case "int-or-string":
      return one("an integer or a string", "integers or strings");
    case "quantity":
      return one("a quantity such as 500m or 2Gi", "quantities such as 500m or 2Gi");
    case "any":
      return one("any value", "values");
    case "array":
      return one(`a list of ${noun(type.items, true)}`, `lists of ${noun(type.items, true)}`);
    case "map":
      return one(
        `a map of names to ${noun(type.values, true)}`,
        `maps of names to ${noun(type.values, true)}`,
      );
    case "model": {
      const name = kubeModel(type.model).displayName;
      return one(`a ${name} map`, `${name} maps`);
    }
  }
}
