import { describe, expect, it } from "vitest";
import { canonicalHash, canonicalJson } from "./canonical-json.ts";

describe("canonicalJson", () => {
  it("sorts object keys at every depth and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null } })).toBe('{"a":{"c":null,"d":[3,1]},"b":1}');
  });

  it("gives equal hashes for objects built in different key orders, and different hashes otherwise", () => {
    expect(canonicalHash({ x: 1, y: [1, 2] })).toBe(canonicalHash({ y: [1, 2], x: 1 }));
    expect(canonicalHash({ x: 1, y: [1, 2] })).not.toBe(canonicalHash({ x: 1, y: [2, 1] }));
  });

  it("drops undefined fields and writes dates as their JSON form", () => {
    expect(canonicalJson({ a: undefined, at: new Date("2024-05-01T00:00:00Z") })).toBe(
      '{"at":"2024-05-01T00:00:00.000Z"}',
    );
  });
});
