import { z } from "zod";
import { describeConfigIssues } from "./config-issues.ts";
import { type RetentionSettings, retentionSchema, toRetentionSettings } from "./retention-config.ts";

/**
 * The daemon's sections of `bosun.yaml`: `run_coordinator`, `run_launcher`, `run_monitoring`, `scheduler`,
 * `sensors` and `retention` (in `retention-config.ts`). Every section and field is optional; defaults are below. See `docs/daemon.md`.
 *
 * ```yaml
 * run_coordinator:
 *   max_concurrent_runs: 10
 *   tag_concurrency_limits:
 *     - key: database            # at most 2 runs tagged database=warehouse at once
 *       value: warehouse
 *       limit: 2
 *     - key: team                # at most 1 run per distinct value of the team tag
 *       value: { applyLimitPerUniqueValue: true }
 *       limit: 1
 * run_monitoring:
 *   start_timeout_seconds: 180
 * scheduler:
 *   max_catchup_runs: 1
 * ```
 */

const seconds = (what: string) => z.number().positive(`${what} must be a positive number of seconds`);

const perUniqueValueSchema = z
  .strictObject({
    /** Give every distinct value of the tag its own `limit` (the seeds' spelling). */
    applyLimitPerUniqueValue: z.literal(true).optional(),
    /** The same, in snake case. */
    apply_limit_per_unique_value: z.literal(true).optional(),
  })
  .refine((value) => value.applyLimitPerUniqueValue || value.apply_limit_per_unique_value, {
    message: "expected { applyLimitPerUniqueValue: true }",
  });

const tagConcurrencyLimitSchema = z.strictObject({
  /** Tag key the limit applies to. */
  key: z.string().min(1),
  /**
   * Absent: every run that has the tag, whatever its value, shares `limit`. A string: only runs whose tag
   * has this value. `{ applyLimitPerUniqueValue: true }`: each distinct value gets its own `limit`.
   */
  value: z.union([z.string(), perUniqueValueSchema]).optional(),
  /** Most runs matching the limit that may be in progress (STARTING, STARTED or CANCELING) at once. */
  limit: z.number().int().min(0),
});

/** The `run_coordinator` section of `bosun.yaml`: queue limits and how often the queue is read. */
export const runCoordinatorSchema = z
  .strictObject({
    /** Most runs in progress at once across the instance; -1 for no limit, 0 to hold every run in the queue. */
    max_concurrent_runs: z.number().int().min(-1).default(10),
    /** Per-tag limits, all of which a run must satisfy to start. */
    tag_concurrency_limits: z.array(tagConcurrencyLimitSchema).default([]),
    /** How often the queue is read even without a notification (new runs wake it at once through LISTEN/NOTIFY). */
    dequeue_interval_seconds: seconds("dequeue_interval_seconds").default(5),
    /** How many admitted runs are handed to the launcher concurrently. */
    max_parallel_launches: z.number().int().min(1).default(8),
    /**
     * A queued run whose code server does not answer (restarting, not yet up) stays queued until the
     * server has not answered for this long (counted from when the coordinator first saw it unreachable,
     * not from when the run was queued), then fails; 0 fails it at once. A location whose code failed to
     * load fails its runs at once.
     */
    unreachable_location_grace_seconds: z
      .number()
      .min(0, "unreachable_location_grace_seconds must be 0 or more seconds")
      .default(60),
  })
  .default({
    max_concurrent_runs: 10,
    tag_concurrency_limits: [],
    dequeue_interval_seconds: 5,
    max_parallel_launches: 8,
    unreachable_location_grace_seconds: 60,
  });

/** The `run_launcher` section of `bosun.yaml`: which launcher starts run workers, with its config. */
export const runLauncherSchema = z
  .strictObject({
    /** Runs each run worker as a local process (`bosun api execute-run`); the default. */
    default: z
      .strictObject({
        /** Where each worker's stdout and stderr go, one file per run; default `$BOSUN_HOME/logs/runs`. */
        log_directory: z.string().min(1).optional(),
      })
      .optional(),
    /** Runs each run worker as a Kubernetes Job; validated by the Kubernetes launcher (`@bosun/k8s`). */
    k8s: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((value) => !(value.default && value.k8s), {
    message: "give one launcher: default or k8s, not both",
  })
  .default({});

/**
 * The `run_monitoring` section of `bosun.yaml`: how the daemon finds runs whose worker died or never started.
 */
export const runMonitoringSchema = z
  .strictObject({
    /** Whether the run monitor loop runs at all. */
    enabled: z.boolean().default(true),
    /** How often in-progress runs are checked. */
    poll_interval_seconds: seconds("poll_interval_seconds").default(30),
    /** A run still STARTING (its worker never reported RUN_START) this long after admission fails. */
    start_timeout_seconds: seconds("start_timeout_seconds").default(180),
    /** A run still CANCELING this long after termination was requested is marked CANCELED. */
    cancel_timeout_seconds: seconds("cancel_timeout_seconds").default(180),
    /** How often a run worker writes its heartbeat (and how often the run monitor looks at heartbeats). */
    worker_heartbeat_interval_seconds: seconds("worker_heartbeat_interval_seconds").default(1),
    /**
     * A STARTED run whose worker has not written a heartbeat for this long fails (its worker is presumed
     * dead): how a worker is found dead when no live launcher saw it exit (its daemon died too, or it
     * runs on another host). Workers beat from a thread of their own, so steps that keep the worker's
     * main thread busy do not need a longer timeout.
     */
    worker_heartbeat_timeout_seconds: seconds("worker_heartbeat_timeout_seconds").default(4),
  })
  .refine((value) => value.worker_heartbeat_timeout_seconds > value.worker_heartbeat_interval_seconds, {
    message: "worker_heartbeat_timeout_seconds must be longer than worker_heartbeat_interval_seconds",
    path: ["worker_heartbeat_timeout_seconds"],
  })
  .default({
    enabled: true,
    poll_interval_seconds: 30,
    start_timeout_seconds: 180,
    cancel_timeout_seconds: 180,
    worker_heartbeat_interval_seconds: 1,
    worker_heartbeat_timeout_seconds: 4,
  });

/** The `scheduler` section of `bosun.yaml`. */
export const schedulerSchema = z
  .strictObject({
    /** Whether the scheduler loop runs at all. */
    enabled: z.boolean().default(true),
    /**
     * Most ticks of one schedule handled in one pass: after downtime, the newest `max_catchup_runs` due
     * ticks run and older missed ones are dropped. 1 (the default) runs only the latest due tick.
     */
    max_catchup_runs: z.number().int().min(1).default(1),
    /** Longest sleep between two checks; the scheduler otherwise wakes at the next tick. */
    max_interval_seconds: seconds("max_interval_seconds").default(30),
    /** A tick that a daemon claimed but never finished (it died) is finished by another after this long. */
    stale_tick_seconds: seconds("stale_tick_seconds").default(300),
  })
  .default({ enabled: true, max_catchup_runs: 1, max_interval_seconds: 30, stale_tick_seconds: 300 });

/** The `sensors` section of `bosun.yaml`. */
export const sensorsSchema = z
  .strictObject({
    /** Whether the sensor loop runs at all. */
    enabled: z.boolean().default(true),
    /** How often the loop looks for sensors due for evaluation (each is evaluated at its own minimum interval). */
    interval_seconds: seconds("interval_seconds").default(5),
    /** A sensor evaluation that a daemon claimed but never finished is taken over after this long. */
    stale_evaluation_seconds: seconds("stale_evaluation_seconds").default(300),
  })
  .default({ enabled: true, interval_seconds: 5, stale_evaluation_seconds: 300 });

const daemonSectionsSchema = z.object({
  run_coordinator: runCoordinatorSchema,
  run_launcher: runLauncherSchema,
  run_monitoring: runMonitoringSchema,
  scheduler: schedulerSchema,
  sensors: sensorsSchema,
  retention: retentionSchema,
});

/** The keys of `bosun.yaml` this file owns. */
export const DAEMON_SECTION_KEYS = Object.keys(daemonSectionsSchema.shape);

/** A limit on runs in progress with a tag: per tag value, or for each distinct value (`perUniqueValue`). */
export type TagConcurrencyLimit =
  | { readonly key: string; readonly value?: string; readonly limit: number; readonly perUniqueValue?: false }
  | { readonly key: string; readonly limit: number; readonly perUniqueValue: true };

/** The daemon's settings, parsed and defaulted; times in milliseconds. */
export interface DaemonSettings {
  readonly runCoordinator: {
    /** null: no limit. */
    readonly maxConcurrentRuns: number | null;
    readonly tagConcurrencyLimits: readonly TagConcurrencyLimit[];
    readonly dequeueIntervalMs: number;
    readonly maxParallelLaunches: number;
    readonly unreachableLocationGraceMs: number;
  };
  readonly runLauncher:
    | { readonly kind: "default"; readonly logDirectory: string | null }
    | { readonly kind: "k8s"; readonly config: Readonly<Record<string, unknown>> };
  readonly runMonitoring: {
    readonly enabled: boolean;
    readonly pollIntervalMs: number;
    readonly startTimeoutMs: number;
    readonly cancelTimeoutMs: number;
    readonly workerHeartbeatIntervalMs: number;
    readonly workerHeartbeatTimeoutMs: number;
  };
  readonly scheduler: {
    readonly enabled: boolean;
    readonly maxCatchupRuns: number;
    readonly maxIntervalMs: number;
    readonly staleTickMs: number;
  };
  readonly sensors: {
    readonly enabled: boolean;
    readonly intervalMs: number;
    readonly staleEvaluationMs: number;
  };
  /** The RETENTION loop: what it deletes and when. */
  readonly retention: RetentionSettings;
}

/** Bad daemon section of `bosun.yaml`: one line per problem, naming the field path. */
export class DaemonConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid instance config:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "DaemonConfigError";
  }
}

/**
 * Validates and defaults the daemon sections of a parsed `bosun.yaml` (other top-level keys are ignored).
 *
 * @example
 * const settings = parseDaemonSettings({ run_coordinator: { max_concurrent_runs: 4 } });
 * settings.runCoordinator.maxConcurrentRuns; // 4
 */
export function parseDaemonSettings(raw: Readonly<Record<string, unknown>> = {}): DaemonSettings {
  const sections = Object.fromEntries(DAEMON_SECTION_KEYS.map((key) => [key, raw[key] ?? undefined]));
  const result = daemonSectionsSchema.safeParse(sections);
  if (!result.success)
    throw new DaemonConfigError(describeConfigIssues(daemonSectionsSchema, result.error.issues, []));
  const {
    run_coordinator: rc,
    run_launcher: rl,
    run_monitoring: rm,
    scheduler,
    sensors,
    retention,
  } = result.data;
  const ms = (s: number) => Math.round(s * 1000);
  return {
    runCoordinator: {
      maxConcurrentRuns: rc.max_concurrent_runs === -1 ? null : rc.max_concurrent_runs,
      tagConcurrencyLimits: rc.tag_concurrency_limits.map((limit) =>
        typeof limit.value === "object"
          ? { key: limit.key, limit: limit.limit, perUniqueValue: true as const }
          : {
              key: limit.key,
              limit: limit.limit,
              ...(limit.value !== undefined ? { value: limit.value } : {}),
            },
      ),
      dequeueIntervalMs: ms(rc.dequeue_interval_seconds),
      maxParallelLaunches: rc.max_parallel_launches,
      unreachableLocationGraceMs: ms(rc.unreachable_location_grace_seconds),
    },
    runLauncher: rl.k8s
      ? { kind: "k8s", config: rl.k8s }
      : { kind: "default", logDirectory: rl.default?.log_directory ?? null },
    runMonitoring: {
      enabled: rm.enabled,
      pollIntervalMs: ms(rm.poll_interval_seconds),
      startTimeoutMs: ms(rm.start_timeout_seconds),
      cancelTimeoutMs: ms(rm.cancel_timeout_seconds),
      workerHeartbeatIntervalMs: ms(rm.worker_heartbeat_interval_seconds),
      workerHeartbeatTimeoutMs: ms(rm.worker_heartbeat_timeout_seconds),
    },
    scheduler: {
      enabled: scheduler.enabled,
      maxCatchupRuns: scheduler.max_catchup_runs,
      maxIntervalMs: ms(scheduler.max_interval_seconds),
      staleTickMs: ms(scheduler.stale_tick_seconds),
    },
    sensors: {
      enabled: sensors.enabled,
      intervalMs: ms(sensors.interval_seconds),
      staleEvaluationMs: ms(sensors.stale_evaluation_seconds),
    },
    retention: toRetentionSettings(retention),
  };
}
