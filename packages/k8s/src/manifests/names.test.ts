import { describe, expect, it } from "vitest";
import { isDns1123Label } from "../kube-model/object-names.ts";
import { runJobName, stepJobName } from "./names.ts";

const RUN_ID = "c8f4e3c2-0915-4317-a168-bf8c86810fb2";

describe("runJobName", () => {
  it("is bosun-run-<run id>, with -<n> for a resumed attempt", () => {
    expect(runJobName(RUN_ID)).toBe(`bosun-run-${RUN_ID}`);
    expect(runJobName(RUN_ID, 0)).toBe(`bosun-run-${RUN_ID}`);
    expect(runJobName(RUN_ID, 3)).toBe(`bosun-run-${RUN_ID}-3`);
  });

  it("hashes run ids that would not make a valid name, deterministically and distinctly", () => {
    for (const runId of ["UPPER-CASE", "a_b", "x".repeat(60), "ünïcode"]) {
      const name = runJobName(runId, 2);
      expect(isDns1123Label(name)).toBe(true);
      expect(name).toMatch(/^bosun-run-[0-9a-f]{32}-2$/);
      expect(runJobName(runId, 2)).toBe(name);
    }
    expect(runJobName("A")).not.toBe(runJobName("B"));
    expect(isDns1123Label(runJobName(""))).toBe(true);
  });

  it("rejects negative or fractional attempts", () => {
    expect(() => runJobName(RUN_ID, -1)).toThrow(RangeError);
    expect(() => runJobName(RUN_ID, 1.5)).toThrow(RangeError);
  });
});

describe("stepJobName", () => {
  it("is bosun-step-<32 hex>, with -<attempt> on retries, and at most 63 characters", () => {
    const first = stepJobName(RUN_ID, "total");
    expect(first).toMatch(/^bosun-step-[0-9a-f]{32}$/);
    expect(stepJobName(RUN_ID, "total", 2)).toBe(`${first}-2`);
    expect(stepJobName(RUN_ID, "a.very[long]_step-key".repeat(20), 99999).length).toBeLessThanOrEqual(63);
  });

  it("differs per run and per step, including splits of the same concatenation", () => {
    expect(stepJobName("run-1", "a")).not.toBe(stepJobName("run-2", "a"));
    expect(stepJobName("run-1", "a")).not.toBe(stepJobName("run-1", "b"));
    expect(stepJobName("ab", "c")).not.toBe(stepJobName("a", "bc"));
  });

  it("is a valid RFC 1123 label for unusual step keys", () => {
    for (const stepKey of ["fan_out[3]", "graph.op", "日本語", ""]) {
      expect(isDns1123Label(stepJobName(RUN_ID, stepKey, 1))).toBe(true);
    }
  });
});
