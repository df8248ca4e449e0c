import { describe, expect, it } from "vitest";
import { matchesFields, matchesRequirements, parseFieldSelector, parseLabelSelector } from "./selectors.ts";

describe("label selectors", () => {
  const labels = { app: "web", tier: "front", release: "r1" };
  const match = (s: string, l: Record<string, string> = labels) =>
    matchesRequirements(l, parseLabelSelector(s));

  it("supports =, ==, !=, in, notin, existence and non-existence", () => {
    expect(match("app=web,tier==front")).toBe(true);
    expect(match("app!=web")).toBe(false);
    expect(match("missing!=x")).toBe(true);
    expect(match("tier in (front, back)")).toBe(true);
    expect(match("tier notin (front)")).toBe(false);
    expect(match("release")).toBe(true);
    expect(match("!release")).toBe(false);
    expect(match("app=web,tier in (back)")).toBe(false);
  });

  it("rejects unparseable selectors with 400", () => {
    expect(() => parseLabelSelector("a in b")).toThrow(expect.objectContaining({ code: 400 }));
  });
});

describe("field selectors", () => {
  const pod = { metadata: { name: "p", namespace: "ns" }, status: { phase: "Running" } };

  it("matches metadata.name, metadata.namespace and status.phase", () => {
    expect(matchesFields(pod, parseFieldSelector("metadata.name=p,status.phase!=Failed", "Pod"))).toBe(true);
    expect(matchesFields(pod, parseFieldSelector("metadata.namespace=other", "Pod"))).toBe(false);
  });

  it("refuses field labels the kind does not support", () => {
    expect(() => parseFieldSelector("status.phase=Running", "ConfigMap")).toThrow(
      "field label not supported: status.phase",
    );
  });
});
