import { describe, expect, it } from "vitest";
import { formatPath, validateAgainstSchema } from "./json-schema.ts";

// The shape the code server emits for the quickstart's numbers_job (zod's toJSONSchema, input side).
const runConfigSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    ops: {
      type: "object",
      additionalProperties: false,
      properties: {
        generate_numbers: {
          type: "object",
          additionalProperties: false,
          properties: {
            config: {
              type: "object",
              additionalProperties: false,
              properties: {
                count: { type: "integer", exclusiveMinimum: 0, maximum: 9007199254740991, default: 5 },
              },
            },
          },
        },
        load: {
          type: "object",
          additionalProperties: false,
          properties: {
            config: {
              type: "object",
              additionalProperties: false,
              properties: {
                mode: { type: "string", enum: ["full", "incremental"] },
                tables: { type: "array", items: { type: "string", minLength: 1 } },
                limit: { anyOf: [{ type: "number" }, { type: "null" }] },
                node: { $ref: "#/$defs/Node" },
              },
              required: ["mode"],
            },
          },
          required: ["config"],
        },
      },
      required: ["load"],
    },
  },
  required: ["ops"],
  $defs: { Node: { type: "object", properties: { name: { type: "string" } }, required: ["name"] } },
};

const paths = (value: unknown) =>
  validateAgainstSchema(runConfigSchema, value).map((i) => `${formatPath(i.path)}: ${i.message}`);

describe("validateAgainstSchema", () => {
  it("accepts a valid config", () => {
    expect(
      paths({
        ops: {
          generate_numbers: { config: { count: 3 } },
          load: { config: { mode: "full", limit: null, node: { name: "x" } } },
        },
      }),
    ).toEqual([]);
  });

  it("names the path of a wrong type, a bound, a missing field and an enum miss with a suggestion", () => {
    expect(
      paths({ ops: { generate_numbers: { config: { count: "three" } }, load: { config: { mode: "ful" } } } }),
    ).toEqual([
      'ops.generate_numbers.config.count: expected integer, got string "three"',
      'ops.load.config.mode: must be one of "full", "incremental"; did you mean "full"?',
    ]);
    expect(paths({ ops: { generate_numbers: { config: { count: 0 } } } })).toEqual([
      "ops.load: is required",
      "ops.generate_numbers.config.count: must be > 0",
    ]);
    expect(
      paths({ ops: { generate_numbers: { config: { count: 1.5 } }, load: { config: { mode: "full" } } } }),
    ).toEqual(["ops.generate_numbers.config.count: expected integer, got number 1.5"]);
  });

  it("suggests the nearest key for a misspelt one", () => {
    expect(paths({ ops: { generate_number: {}, load: { config: { mode: "full" } } } })).toEqual([
      'ops.generate_number: unknown field; did you mean "generate_numbers"?',
    ]);
  });

  it("follows $ref, items and anyOf", () => {
    expect(
      paths({ ops: { load: { config: { mode: "full", tables: ["a", ""], limit: "no", node: {} } } } }),
    ).toEqual([
      "ops.load.config.tables[1]: must be at least 1 characters",
      'ops.load.config.limit: expected number, got string "no"',
      "ops.load.config.node.name: is required",
    ]);
  });

  it("reports the root as (root)", () => {
    expect(paths([])).toEqual(["(root): expected object, got an array"]);
  });
});
