import { describe, expect, it } from "vitest";
import { isLabelValue } from "../kube-model/object-names.ts";
import { commonLabels, identityLabels, sanitizeLabelValue } from "./labels.ts";

describe("sanitizeLabelValue", () => {
  it("returns valid values unchanged", () => {
    for (const value of ["sum_job", "a", "v1.2.3", "c8f4e3c2-0915-4317-a168-bf8c86810fb2", "A_b-C.d"]) {
      expect(sanitizeLabelValue(value)).toBe(value);
    }
  });

  it("replaces runs of invalid characters with '-' and trims the ends to letters or digits", () => {
    expect(sanitizeLabelValue("my job!")).toBe("my-job");
    expect(sanitizeLabelValue("_-x")).toBe("x");
    expect(sanitizeLabelValue("-._x._-")).toBe("x");
    expect(sanitizeLabelValue("0.1.0+build/7")).toBe("0.1.0-build-7");
  });

  it("drops accents and other unicode", () => {
    expect(sanitizeLabelValue("café_job")).toBe("cafe_job");
    expect(sanitizeLabelValue("job-日本語-2")).toBe("job-2");
  });

  it("never ends in '.', '-' or '_' after truncation, and keeps distinct long values distinct", () => {
    const dotted = `${"a".repeat(53)}.${"b".repeat(20)}`;
    const sanitized = sanitizeLabelValue(dotted);
    expect(sanitized.length).toBeLessThanOrEqual(63);
    expect(isLabelValue(sanitized)).toBe(true);
    const trailing = `${"a".repeat(54)}..............`;
    expect(isLabelValue(sanitizeLabelValue(trailing))).toBe(true);
    expect(sanitizeLabelValue(`${"x".repeat(70)}1`)).not.toBe(sanitizeLabelValue(`${"x".repeat(70)}2`));
  });

  it("gives a hashed value when nothing usable is left, distinct per input", () => {
    expect(sanitizeLabelValue("日本語")).toMatch(/^x-[0-9a-f]{8}$/);
    expect(sanitizeLabelValue("___")).toMatch(/^x-[0-9a-f]{8}$/);
    expect(sanitizeLabelValue("")).toMatch(/^x-[0-9a-f]{8}$/);
    expect(sanitizeLabelValue("日本語")).not.toBe(sanitizeLabelValue("中文"));
  });

  it("always produces a valid label value", () => {
    const samples = [
      "",
      ".",
      "-",
      "a".repeat(64),
      `${"a".repeat(62)}.b`,
      `${"a".repeat(62)}_`,
      "🙂",
      "a🙂b",
      " spaced out ",
      "x".repeat(500),
      "é".repeat(100),
      `${"a-".repeat(40)}`,
    ];
    for (const sample of samples) expect(isLabelValue(sanitizeLabelValue(sample))).toBe(true);
  });
});

describe("labels", () => {
  it("builds the common and identity labels with sanitised values", () => {
    expect(commonLabels({ bosunVersion: "0.1.0+dev", instanceName: "prod release" })).toEqual({
      "app.kubernetes.io/name": "bosun",
      "app.kubernetes.io/instance": "prod-release",
      "app.kubernetes.io/version": "0.1.0-dev",
      "app.kubernetes.io/part-of": "bosun",
    });
    expect(
      identityLabels({
        component: "step-worker",
        jobName: "sum job",
        runId: "r1",
        stepKey: "fan_out[3]",
        codeLocation: "examples",
        bosunVersion: "x",
      }),
    ).toEqual({
      "app.kubernetes.io/component": "step-worker",
      "bosun/job": "sum-job",
      "bosun/run-id": "r1",
      "bosun/op": "fan_out-3",
      "bosun/code-location": "examples",
    });
  });
});
