import { describe, expect, it } from "vitest";
import { INPUT_LIMITS } from "./input-limits.ts";
import { textIssues } from "./text-issues.ts";

describe("text issues", () => {
  it("names each string holding a NUL or a lone surrogate, keys included", () => {
    expect(
      textIssues({ tags: { env: "a\u0000" }, list: ["ok", "\ud800"], "k\u0000": 1, fine: "é😀" }, "body"),
    ).toEqual([
      { field: 'body["k\\u0000"]', message: "key: must not contain a NUL character (\\u0000)" },
      { field: "body.list[1]", message: "must be valid Unicode (it holds a lone UTF-16 surrogate)" },
      { field: "body.tags.env", message: "must not contain a NUL character (\\u0000)" },
    ]);
  });

  it("refuses __proto__ as a key", () => {
    expect(textIssues(JSON.parse('{"__proto__":{"admin":true}}'), "body")).toEqual([
      { field: "body.__proto__", message: "key: __proto__ is not allowed as a key" },
    ]);
  });

  it("stops at the nesting limit without recursing (a parsed value deeper than the limit)", () => {
    let value: unknown = "leaf";
    for (let i = 0; i < 10_000; i++) value = [value];
    const issues = textIssues(value, "body");
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toBe(`nested deeper than ${INPUT_LIMITS.jsonDepth} levels`);
  });
});
