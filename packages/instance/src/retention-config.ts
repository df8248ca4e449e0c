import type { FinishedTickStatus } from "@bosun/storage";
import { z } from "zod";

/**
 * The `retention` section of `bosun.yaml`: what the daemon's RETENTION loop deletes, and when.
 * `purge_after_days` is a number of days (fractions allowed) or -1 to keep forever; a tick's age is
 * its time (a schedule's scheduled time, a sensor's evaluation time), a run's is its end. See `docs/daemon.md`.
 *
 * ```yaml
 * retention:
 *   enabled: true                # the loop runs (it deletes nothing unless some purge_after_days is set)
 *   interval_seconds: 3600       # how often it prunes
 *   schedule:
 *     purge_after_days: -1       # a number for every tick status, or per status as for sensors
 *   sensor:
 *     purge_after_days:
 *       skipped: 7
 *       success: -1
 *       failure: -1
 *   runs:
 *     purge_after_days: -1       # finished runs (SUCCESS, FAILURE, CANCELED) and everything stored for them
 *   audit:
 *     purge_after_days: 365      # audit log entries (who did what through the API)
 *   closed_deployments:
 *     purge_after_days: 30       # a closed branch deployment, with all its data, this long after it closed
 * ```
 */

const KEEP_FOREVER = -1;
/** A year of audit log: long enough for most reviews, bounded so the table does not grow forever. */
const AUDIT_DEFAULT_DAYS = 365;
const CLOSED_DEPLOYMENT_DAYS = 30;

const purgeAfterDays = (what: string) =>
  z
    .number()
    .refine((value) => value === KEEP_FOREVER || value > 0, {
      message: `${what} must be -1 (keep forever) or a number of days above 0`,
    })
    .refine((value) => value <= 36_500, { message: `${what} must be at most 36500 days` });

type PerStatusDays = { skipped: number; success: number; failure: number };

const perTickStatusSchema = (defaults: PerStatusDays) =>
  z
    .strictObject({
      /** Ticks that requested no run (nothing to do, or every run key already used). */
      skipped: purgeAfterDays("skipped")
        .default(defaults.skipped)
        .describe("Days SKIPPED ticks are kept; -1: forever"),
      /** Ticks that requested runs. */
      success: purgeAfterDays("success")
        .default(defaults.success)
        .describe("Days SUCCESS ticks are kept; -1: forever"),
      /** Ticks whose evaluation or run requests failed. */
      failure: purgeAfterDays("failure")
        .default(defaults.failure)
        .describe("Days FAILURE ticks are kept; -1: forever"),
    })
    .describe("Days kept per tick status");

const tickRetentionSchema = (what: string, fallback: number | PerStatusDays, perStatus: PerStatusDays) =>
  z
    .strictObject({
      /**
       * Days a finished tick is kept, for every status (a number) or per status (`skipped`, `success`,
       * `failure`); -1 keeps forever. Ticks in progress (STARTED) and the newest tick of each
       * schedule or sensor are always kept.
       */
      purge_after_days: z
        .union([purgeAfterDays("purge_after_days"), perTickStatusSchema(perStatus)])
        .default(fallback)
        .describe(
          `Days ${what} ticks are kept: one number for every status, or per status (skipped, success, failure); -1: forever`,
        ),
    })
    .default({ purge_after_days: fallback })
    .describe(`Retention of ${what} ticks`);

/** Per status, a status left out keeps forever, except a sensor's SKIPPED ticks (7 days). */
const SCHEDULE_PER_STATUS: PerStatusDays = {
  skipped: KEEP_FOREVER,
  success: KEEP_FOREVER,
  failure: KEEP_FOREVER,
};
const SENSOR_DEFAULTS: PerStatusDays = { skipped: 7, success: KEEP_FOREVER, failure: KEEP_FOREVER };

/** The `retention` section of `bosun.yaml`. */
export const retentionSchema = z
  .strictObject({
    /** Whether the RETENTION loop runs at all (it deletes nothing unless some `purge_after_days` is set). */
    enabled: z
      .boolean()
      .default(true)
      .describe("Run the retention loop (it deletes nothing unless some purge_after_days is set)"),
    /** How often the loop prunes. */
    interval_seconds: z
      .number()
      .positive("interval_seconds must be a positive number of seconds")
      .default(3600)
      .describe("How often the retention loop prunes, in seconds"),
    /** Schedule ticks. Default: kept forever. */
    schedule: tickRetentionSchema("schedule", KEEP_FOREVER, SCHEDULE_PER_STATUS),
    /** Sensor ticks. Default: SKIPPED ticks kept 7 days, others forever. */
    sensor: tickRetentionSchema("sensor", SENSOR_DEFAULTS, SENSOR_DEFAULTS),
    /**
     * Finished runs (SUCCESS, FAILURE, CANCELED) whose end is older are deleted with their events,
     * compute logs, stored outputs and heartbeats; runs queued or in progress never are. Default: forever.
     */
    runs: z
      .strictObject({
        /** Days a finished run is kept after it ended; -1 keeps forever. */
        purge_after_days: purgeAfterDays("purge_after_days")
          .default(KEEP_FOREVER)
          .describe(
            "Days a finished run (SUCCESS, FAILURE, CANCELED) is kept after it ended, with its events, logs and outputs; -1: forever",
          ),
      })
      .default({ purge_after_days: KEEP_FOREVER })
      .describe("Retention of finished runs"),
    /** Audit log entries (mutating API calls, allowed or denied). Default: a year. */
    audit: z
      .strictObject({
        /** Days an audit entry is kept after it was recorded; -1 keeps forever. */
        purge_after_days: purgeAfterDays("purge_after_days")
          .default(AUDIT_DEFAULT_DAYS)
          .describe("Days an audit log entry is kept after it was recorded; -1: forever"),
      })
      .default({ purge_after_days: AUDIT_DEFAULT_DAYS })
      .describe("Retention of the audit log"),
    /**
     * Closed branch deployments: deleted with every run, event and tick they hold once closed this long.
     * Default 30 days: a merged branch's history is rarely read after a month.
     */
    closed_deployments: z
      .strictObject({
        /** Days a closed branch deployment is kept after it closed; -1 keeps forever. */
        purge_after_days: purgeAfterDays("purge_after_days")
          .default(CLOSED_DEPLOYMENT_DAYS)
          .describe(
            "Days a closed branch deployment is kept, with all its data, after it closed; -1: forever",
          ),
      })
      .default({ purge_after_days: CLOSED_DEPLOYMENT_DAYS })
      .describe("Retention of closed branch deployments"),
  })
  .default({
    enabled: true,
    interval_seconds: 3600,
    schedule: { purge_after_days: KEEP_FOREVER },
    sensor: { purge_after_days: SENSOR_DEFAULTS },
    runs: { purge_after_days: KEEP_FOREVER },
    audit: { purge_after_days: AUDIT_DEFAULT_DAYS },
    closed_deployments: { purge_after_days: CLOSED_DEPLOYMENT_DAYS },
  })
  .describe(
    "What the daemon deletes, and when: old schedule and sensor ticks, audit log entries, and optionally old finished runs",
  );

/** How long each finished tick status is kept, in milliseconds; null keeps forever. */
export type TickRetention = Readonly<Record<FinishedTickStatus, number | null>>;

/** `retention`, parsed and defaulted; times in milliseconds, null meaning "keep forever". */
export interface RetentionSettings {
  readonly enabled: boolean;
  readonly intervalMs: number;
  readonly schedule: TickRetention;
  readonly sensor: TickRetention;
  readonly runs: { readonly purgeAfterMs: number | null };
  readonly audit: { readonly purgeAfterMs: number | null };
  /** How long a closed branch deployment is kept after it closed; null keeps forever. */
  readonly closedDeployments: { readonly purgeAfterMs: number | null };
}

const DAY_MS = 24 * 60 * 60 * 1000;

function daysToMs(days: number): number | null {
  return days === KEEP_FOREVER ? null : Math.round(days * DAY_MS);
}

function tickRetention(value: number | PerStatusDays): TickRetention {
  const days = typeof value === "number" ? { skipped: value, success: value, failure: value } : value;
  return {
    SKIPPED: daysToMs(days.skipped),
    SUCCESS: daysToMs(days.success),
    FAILURE: daysToMs(days.failure),
  };
}

/** The parsed section in the settings' shape (validation happens with the daemon's other sections). */
export function toRetentionSettings(section: z.output<typeof retentionSchema>): RetentionSettings {
  return {
    enabled: section.enabled,
    intervalMs: Math.round(section.interval_seconds * 1000),
    schedule: tickRetention(section.schedule.purge_after_days),
    sensor: tickRetention(section.sensor.purge_after_days),
    runs: { purgeAfterMs: daysToMs(section.runs.purge_after_days) },
    audit: { purgeAfterMs: daysToMs(section.audit.purge_after_days) },
    closedDeployments: { purgeAfterMs: daysToMs(section.closed_deployments.purge_after_days) },
  };
}
