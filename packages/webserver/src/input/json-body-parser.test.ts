import { describe, expect, it } from "vitest";
import { ApiError } from "../api/api-error.ts";
import { INPUT_LIMITS } from "./input-limits.ts";
import { parseJsonBody } from "./json-body-parser.ts";

function refusal(raw: Buffer | string): ApiError {
  try {
    parseJsonBody(Buffer.isBuffer(raw) ? raw : Buffer.from(raw));
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("JSON body parser", () => {
  it("parses valid UTF-8 JSON, brackets inside strings not counted as nesting", () => {
    expect(parseJsonBody(Buffer.from(`{"a":"${"[".repeat(200)}é\\""}`))).toEqual({
      a: `${"[".repeat(200)}é"`,
    });
  });

  it("refuses invalid UTF-8 instead of replacing it", () => {
    expect(
      refusal(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d])).details,
    ).toEqual({
      issues: [{ field: "body", message: "is not valid UTF-8" }],
    });
  });

  it("refuses nesting past the limit before parsing", () => {
    const depth = INPUT_LIMITS.jsonDepth + 1;
    const error = refusal(`${"[".repeat(depth)}${"]".repeat(depth)}`);
    expect(error.message).toBe(
      `body: nested ${depth} levels deep; at most ${INPUT_LIMITS.jsonDepth} are allowed`,
    );
  });

  it("refuses empty and malformed bodies, naming the body", () => {
    expect(refusal("  ").message).toBe("body: is empty; send a JSON object");
    expect(refusal('{"a":').message).toMatch(/^body: is not valid JSON/);
  });

  it("refuses a NUL escaped in JSON text, naming the field", () => {
    expect(refusal('{"tags":{"env":"a\\u0000"}}').message).toBe(
      "body.tags.env: must not contain a NUL character (\\u0000)",
    );
  });
});
