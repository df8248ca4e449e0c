import { configProblems } from "@bosun/test-support";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ComputeLogsConfigError, computeLogsSchema, parseComputeLogSettings } from "./compute-logs-config.ts";

function problems(raw: Record<string, unknown>): readonly string[] {
  return configProblems(ComputeLogsConfigError, () => parseComputeLogSettings(raw));
}

describe("compute_logs section of bosun.yaml", () => {
  it("defaults to capturing, flushing every 200 ms and keeping 10 MiB per step and stream", () => {
    const defaults = { enabled: true, flushIntervalMs: 200, maxBytesPerStep: 10 * 1024 * 1024 };
    expect(parseComputeLogSettings({})).toEqual(defaults);
    expect(parseComputeLogSettings({ compute_logs: null })).toEqual(defaults);
    expect(parseComputeLogSettings({ compute_logs: {} })).toEqual(defaults);
  });

  it("reads every field, with -1 as no byte limit and seconds as milliseconds", () => {
    expect(
      parseComputeLogSettings({
        compute_logs: { enabled: false, flush_interval_seconds: 2.5, max_bytes_per_step: -1 },
      }),
    ).toEqual({ enabled: false, flushIntervalMs: 2500, maxBytesPerStep: null });
    expect(parseComputeLogSettings({ compute_logs: { max_bytes_per_step: 4096 } }).maxBytesPerStep).toBe(
      4096,
    );
  });

  it("names the field path and the nearest valid key for a misspelt key", () => {
    expect(problems({ compute_logs: { max_byte_per_step: 10 } })).toEqual([
      'compute_logs.max_byte_per_step: unknown key (did you mean "max_bytes_per_step"?)',
    ]);
    expect(problems({ compute_logs: { flush_interval: 1 } })[0]).toContain(
      'did you mean "flush_interval_seconds"?',
    );
  });

  it("says what was expected for a wrong value", () => {
    expect(problems({ compute_logs: { enabled: "no" } })).toEqual(["compute_logs.enabled: expected boolean"]);
    expect(problems({ compute_logs: { flush_interval_seconds: -1 } })).toEqual([
      "compute_logs.flush_interval_seconds: flush_interval_seconds must be a positive number of seconds",
    ]);
    expect(problems({ compute_logs: { max_bytes_per_step: 100 } })).toEqual([
      "compute_logs.max_bytes_per_step: max_bytes_per_step must be -1 (no limit) or at least 1024",
    ]);
    expect(problems({ compute_logs: { max_bytes_per_step: 2048.5 } })).toEqual([
      "compute_logs.max_bytes_per_step: expected integer",
    ]);
    expect(problems({ compute_logs: "on" })).toEqual(["compute_logs: expected object"]);
  });

  it("gives the Helm chart a closed JSON Schema with a description and default on every field", () => {
    const json = z.toJSONSchema(computeLogsSchema, { io: "input", unrepresentable: "throw" }) as {
      additionalProperties: boolean;
      description: string;
      properties: Record<string, { description?: string; default?: unknown }>;
    };
    expect(json.additionalProperties).toBe(false);
    expect(json.description).toMatch(/\S/);
    expect(Object.keys(json.properties)).toEqual(["enabled", "flush_interval_seconds", "max_bytes_per_step"]);
    for (const field of Object.values(json.properties)) expect(field.description).toMatch(/\S/);
    expect(json.properties.max_bytes_per_step?.default).toBe(10 * 1024 * 1024);
  });
});
