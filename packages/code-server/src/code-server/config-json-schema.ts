import type { JsonValue } from "@bosun/core";
import { z } from "zod";

/**
 * The JSON Schema of a config schema, as a user writes the config (zod's input side: fields with
 * defaults are optional). Plain objects get `additionalProperties: false`, matching the run config
 * validation, which rejects unknown keys. A schema with parts JSON Schema cannot express (dates,
 * transforms, custom checks) keeps what can be expressed, shows the rest as `{}`, and says so in
 * `$comment`; a schema that cannot be converted at all becomes `{}` with that note.
 */
export function configJsonSchema(schema: z.ZodType): JsonValue {
  try {
    return withoutDialect(convert(schema, "throw"));
  } catch (strictError) {
    const note = `parts of this config schema cannot be expressed as JSON Schema and accept anything here: ${(strictError as Error).message}`;
    try {
      return { ...withoutDialect(convert(schema, "any")), $comment: note };
    } catch (error) {
      return {
        $comment: `this config schema cannot be expressed as JSON Schema: ${(error as Error).message}`,
      };
    }
  }
}

function convert(schema: z.ZodType, unrepresentable: "throw" | "any"): Record<string, JsonValue> {
  return z.toJSONSchema(schema, {
    io: "input",
    unrepresentable,
    cycles: "ref",
    override: ({ zodSchema, jsonSchema }) => {
      const def = (zodSchema as { _zod?: { def?: { type?: string; catchall?: unknown } } })._zod?.def;
      if (def?.type === "object" && def.catchall === undefined) jsonSchema.additionalProperties = false;
    },
  }) as Record<string, JsonValue>;
}

/** Nested schemas do not repeat the dialect; the whole run config schema declares it once. */
function withoutDialect(schema: Record<string, JsonValue>): Record<string, JsonValue> {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

/** True when the schema accepts a missing config section, as the run config validation does. */
export function acceptsMissingConfig(schema: z.ZodType): boolean {
  return schema.safeParse(undefined).success || schema.safeParse({}).success;
}

export const JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema";
