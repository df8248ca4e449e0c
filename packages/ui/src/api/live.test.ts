import { describe, expect, it } from "vitest";
import { utf8Head } from "./live.ts";

describe("utf8Head", () => {
  it("cuts a log chunk at a byte offset, counting multi-byte characters by their bytes", () => {
    // "é" is two bytes and "✓" three: an attempt ending after "ok é" ends 5 bytes in.
    expect(utf8Head("ok é✓ next attempt", 5)).toBe("ok é");
    expect(utf8Head("ok é✓ next attempt", 8)).toBe("ok é✓");
    expect(utf8Head("short", 100)).toBe("short");
    expect(utf8Head("anything", 0)).toBe("");
  });
});
