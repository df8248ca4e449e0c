import { configProblems } from "@bosun/test-support";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { DaemonConfigError, parseDaemonSettings } from "./daemon-config.ts";
import { retentionSchema } from "./retention-config.ts";

const DAY = 86_400_000;

function retention(section: unknown) {
  return parseDaemonSettings({ retention: section }).retention;
}

function problems(section: unknown): readonly string[] {
  return configProblems(DaemonConfigError, () => retention(section));
}

describe("retention section of bosun.yaml", () => {
  it("defaults to an hourly loop that deletes only sensor ticks skipped more than 7 days ago and audit entries older than a year and branch deployments closed 30 days ago", () => {
    expect(retention(undefined)).toEqual({
      enabled: true,
      intervalMs: 3_600_000,
      schedule: { SKIPPED: null, SUCCESS: null, FAILURE: null },
      sensor: { SKIPPED: 7 * DAY, SUCCESS: null, FAILURE: null },
      runs: { purgeAfterMs: null },
      audit: { purgeAfterMs: 365 * DAY },
      closedDeployments: { purgeAfterMs: 30 * DAY },
    });
    expect(retention({})).toEqual(retention(undefined));
  });

  it("takes one number for every tick status, or a number per status with the others defaulted", () => {
    const settings = retention({
      interval_seconds: 60,
      schedule: { purge_after_days: 30 },
      sensor: { purge_after_days: { success: 14 } },
      runs: { purge_after_days: 0.5 },
    });
    expect(settings.intervalMs).toBe(60_000);
    expect(settings.schedule).toEqual({ SKIPPED: 30 * DAY, SUCCESS: 30 * DAY, FAILURE: 30 * DAY });
    // A sensor's skipped ticks keep their 7-day default when only success is given.
    expect(settings.sensor).toEqual({ SKIPPED: 7 * DAY, SUCCESS: 14 * DAY, FAILURE: null });
    expect(settings.runs.purgeAfterMs).toBe(DAY / 2);
    expect(retention({ audit: { purge_after_days: 90 } }).audit.purgeAfterMs).toBe(90 * DAY);
    expect(retention({ audit: { purge_after_days: -1 } }).audit.purgeAfterMs).toBeNull();
    expect(retention({ sensor: { purge_after_days: -1 } }).sensor).toEqual({
      SKIPPED: null,
      SUCCESS: null,
      FAILURE: null,
    });
    expect(retention({ schedule: { purge_after_days: { skipped: 3 } } }).schedule).toEqual({
      SKIPPED: 3 * DAY,
      SUCCESS: null,
      FAILURE: null,
    });
  });

  it("names the field path and the nearest valid key for a misspelt key, at any depth", () => {
    expect(problems({ run: { purge_after_days: 3 } })).toEqual([
      'retention.run: unknown key (did you mean "runs"?)',
    ]);
    expect(problems({ sensor: { purge_after_days: { skiped: 3 } } })).toEqual([
      'retention.sensor.purge_after_days.skiped: unknown key (did you mean "skipped"?)',
    ]);
    expect(problems({ runs: { purge_after_day: 3 } })).toEqual([
      'retention.runs.purge_after_day: unknown key (did you mean "purge_after_days"?)',
    ]);
    // STARTED ticks are never purged, so there is no key for them.
    expect(problems({ sensor: { purge_after_days: { started: 3 } } })[0]).toMatch(
      /^retention\.sensor\.purge_after_days\.started: unknown key/,
    );
  });

  it("says what was expected for a wrong value", () => {
    expect(problems({ runs: { purge_after_days: -5 } })).toEqual([
      "retention.runs.purge_after_days: purge_after_days must be -1 (keep forever) or a number of days above 0",
    ]);
    expect(problems({ runs: { purge_after_days: 0 } })).toEqual([
      "retention.runs.purge_after_days: purge_after_days must be -1 (keep forever) or a number of days above 0",
    ]);
    expect(problems({ sensor: { purge_after_days: { skipped: "weekly" } } })).toEqual([
      "retention.sensor.purge_after_days.skipped: expected number",
    ]);
    expect(problems({ schedule: { purge_after_days: "30d" } })).toEqual([
      "retention.schedule.purge_after_days: expected number or object",
    ]);
    expect(problems({ interval_seconds: 0 })).toEqual([
      "retention.interval_seconds: interval_seconds must be a positive number of seconds",
    ]);
    expect(problems({ enabled: "yes" })).toEqual(["retention.enabled: expected boolean"]);
  });

  it("gives the Helm chart a closed JSON Schema with descriptions and defaults", () => {
    const json = z.toJSONSchema(retentionSchema, { io: "input", unrepresentable: "throw" }) as {
      additionalProperties: boolean;
      properties: Record<string, { description?: string; default?: unknown }>;
    };
    expect(json.additionalProperties).toBe(false);
    expect(Object.keys(json.properties)).toEqual([
      "enabled",
      "interval_seconds",
      "schedule",
      "sensor",
      "runs",
      "audit",
      "closed_deployments",
    ]);
    for (const field of Object.values(json.properties)) expect(field.description).toMatch(/\S/);
    expect(json.properties.sensor?.default).toEqual({
      purge_after_days: { skipped: 7, success: -1, failure: -1 },
    });
    expect(json.properties.schedule?.default).toEqual({ purge_after_days: -1 });
    expect(json.properties.audit?.default).toEqual({ purge_after_days: 365 });
  });
});
