import { describe, expect, it } from "vitest";
import { compareQuantities, parseQuantity } from "./quantity.ts";

const compare = (a: unknown, b: unknown) => compareQuantities(parseQuantity(a)!, parseQuantity(b)!);

describe("parseQuantity", () => {
  it("accepts every form of the Kubernetes grammar, and YAML numbers", () => {
    for (const text of [
      "500m",
      "2",
      "0.5",
      "1.5Gi",
      "1e3",
      "1E-2",
      "+1k",
      ".5",
      "1.",
      "100Mi",
      "3Ei",
      "1E",
      "0",
    ])
      expect(parseQuantity(text), text).toBeDefined();
    expect(parseQuantity(2)).toEqual(parseQuantity("2"));
  });

  it("rejects what Kubernetes rejects: unknown suffixes, spaces, empty text, non-numbers", () => {
    for (const text of ["1GB", "1 Gi", "", "Gi", "1gi", "1.5.2", "one", "1e", "1Ki2", "m"])
      expect(parseQuantity(text), text).toBeUndefined();
    expect(parseQuantity(null)).toBeUndefined();
    expect(parseQuantity({ value: 1 })).toBeUndefined();
  });
});

describe("compareQuantities", () => {
  it("compares across suffixes exactly", () => {
    expect(compare("500m", "0.5")).toBe(0);
    expect(compare("1000m", "1")).toBe(0);
    expect(compare("1Gi", "1G")).toBe(1);
    expect(compare("1024Mi", "1Gi")).toBe(0);
    expect(compare("1e3", "1k")).toBe(0);
    expect(compare("2Gi", "1Gi")).toBe(1);
    expect(compare("1.5Gi", "1536Mi")).toBe(0);
    expect(compare("1001m", "1")).toBe(1);
    expect(compare("-1", "0")).toBe(-1);
  });

  it("compares huge exponents without expanding them", () => {
    expect(compare("1e999999999", "2Ei")).toBe(1);
    expect(compare("1e-999999999", "1n")).toBe(-1);
  });
});
