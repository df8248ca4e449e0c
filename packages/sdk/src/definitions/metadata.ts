import type { JsonValue, Metadata, MetadataValue } from "@bosun/core";

/** What user code may pass as metadata: plain numbers, strings and booleans, or tagged values. */
export type MetadataInput = Readonly<Record<string, number | string | boolean | MetadataValue>>;

/** Builders for metadata values that plain JavaScript values cannot express. */
export const md = {
  table(columns: readonly string[], rows: readonly (readonly JsonValue[])[]): MetadataValue {
    return { type: "table", columns, rows };
  },
  json(value: JsonValue): MetadataValue {
    return { type: "json", value };
  },
  url(value: string): MetadataValue {
    return { type: "url", value };
  },
  path(value: string): MetadataValue {
    return { type: "path", value };
  },
  text(value: string): MetadataValue {
    return { type: "text", value };
  },
};

/**
 * Metadata as user code passes it, made into stored `Metadata`: integers become `int`, other numbers `float`,
 * strings `text`, booleans `bool`; tagged values (`md.*`) are kept.
 */
export function normalizeMetadata(input: MetadataInput | undefined): Metadata {
  const out: Record<string, MetadataValue> = {};
  for (const [key, value] of Object.entries(input ?? {})) {
    if (typeof value === "number") out[key] = { type: Number.isInteger(value) ? "int" : "float", value };
    else if (typeof value === "string") out[key] = { type: "text", value };
    else if (typeof value === "boolean") out[key] = { type: "bool", value };
    else out[key] = value;
  }
  return out;
}
