import { describe, expect, it } from "vitest";
import { checkConfig, initialConfigText } from "./config-check.ts";

const schema = {
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
              properties: { count: { type: "integer", exclusiveMinimum: 0, default: 5 } },
            },
          },
        },
        sum_of: { type: "object", additionalProperties: false, properties: {} },
      },
    },
  },
};

describe("checkConfig", () => {
  it("places a schema issue on the line of the offending key", () => {
    const text = "ops:\n  generate_numbers:\n    config:\n      count: -2\n";
    const result = checkConfig(text, schema);
    expect(result.parsed).toBe(true);
    expect(result.issues).toEqual([
      { path: "ops.generate_numbers.config.count", message: "must be > 0", line: 4 },
    ]);
  });

  it("points at the nearest existing parent for a missing key, and reports YAML syntax errors with a line", () => {
    const misspelt = checkConfig("ops:\n  generate_numbrs:\n    config: {}\n", schema);
    expect(misspelt.issues[0]).toMatchObject({ path: "ops.generate_numbrs", line: 2 });
    expect(misspelt.issues[0]!.message).toContain('did you mean "generate_numbers"');
    const broken = checkConfig("ops:\n  a: [1, 2\n", schema);
    expect(broken.parsed).toBe(false);
    expect(broken.issues[0]!.line).toBeGreaterThanOrEqual(2);
  });

  it("treats an empty editor as an empty config", () => {
    expect(checkConfig("", schema)).toEqual({ value: {}, parsed: true, issues: [] });
  });

  it("starts the editor from defaults found in the schema", () => {
    expect(initialConfigText({}, schema)).toBe("ops:\n  generate_numbers:\n    config:\n      count: 5\n");
    expect(initialConfigText({ ops: { sum_of: {} } }, schema)).toBe("ops:\n  sum_of: {}\n");
  });
});

describe("lineOfPath", () => {
  it("finds the line of a server-reported config path", async () => {
    const { lineOfPath } = await import("./config-check.ts");
    const text = "ops:\n  generate_numbers:\n    config:\n      count: -2\n";
    expect(lineOfPath(text, "ops.generate_numbers.config.count")).toBe(4);
    expect(lineOfPath(text, "ops.missing")).toBe(1);
    expect(lineOfPath(text, "(root)")).toBeNull();
  });
});
