import { nearest } from "@bosun/core";
import { z } from "zod";
import { describeConfigIssues } from "./config-issues.ts";

/**
 * The `queues` section of `bosun.yaml`: the step queues that `queueExecutor()` runs steps through and
 * `bosun queue worker` serves. Read by run workers (which enqueue steps) and queue workers (which take
 * them). See `docs/step-queues.md`.
 *
 * ```yaml
 * queues:
 *   backend: postgresql            # postgresql (Bosun's own database, the default) or redis
 *   redis:                         # only with backend: redis
 *     url: redis://redis.internal:6379/0
 *     password_env: BOSUN_REDIS_PASSWORD   # the password is read from this variable, never from the file
 *   lease_seconds: 30              # a step held by a worker that stops heartbeating is taken again after this
 *   warehouse:                     # every other key is a queue
 *     width: 2                     # steps of this queue active at once, over every run and worker
 *     rate_limit: { max: 10, per_seconds: 1 }
 *     no_worker_timeout_seconds: 600
 * ```
 */

/** Default of `no_worker_timeout_seconds`: a step waits 10 minutes for a worker before failing. */
export const DEFAULT_NO_WORKER_TIMEOUT_SECONDS = 600;
/** Default of `lease_seconds`. */
export const DEFAULT_QUEUE_LEASE_SECONDS = 30;

const queueDefinitionSchema = z
  .strictObject({
    /** Exact cap on steps of this queue active at once over all runs and all workers; unset: no cap. */
    width: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("Most steps of this queue active at once, everywhere"),
    /** At most `max` steps start per `per_seconds` seconds, over all workers. */
    rate_limit: z
      .strictObject({
        max: z.number().int().positive().describe("Steps started per window"),
        per_seconds: z.number().positive().describe("Window length in seconds"),
      })
      .optional()
      .describe("Most step starts per time window"),
    /** How long a step waits while no worker serves its queue before it fails with that reason. */
    no_worker_timeout_seconds: z
      .number()
      .positive()
      .default(DEFAULT_NO_WORKER_TIMEOUT_SECONDS)
      .describe("Seconds a step waits on a queue that no worker serves before it fails"),
  })
  .describe("One step queue");

/** The settings of the `queues` section of `bosun.yaml`; every other key of the section names a queue. */
export const queueBackendSchema = z
  .strictObject({
    /** Where the queues live: Bosun's own PostgreSQL database (default), or a Redis server. */
    backend: z.enum(["postgresql", "redis"]).default("postgresql").describe("postgresql or redis"),
    /** The Redis server, for `backend: redis`. The password comes from an environment variable. */
    redis: z
      .strictObject({
        url: z
          .string()
          .regex(
            /^rediss?:\/\/[^/@]+(:\d+)?(\/\d+)?$/,
            "url must be redis://host:port[/db] (no password in it)",
          )
          .describe("redis://host:port/db"),
        password_env: z.string().min(1).optional().describe("Environment variable holding the password"),
      })
      .optional()
      .describe("The Redis server of backend: redis"),
    /** Seconds a worker's hold on a step lasts without a heartbeat; a killed worker's step is retaken after it. */
    lease_seconds: z
      .number()
      .positive()
      .max(3600)
      .default(DEFAULT_QUEUE_LEASE_SECONDS)
      .describe("Seconds before a step of a silent worker is taken again"),
  })
  .refine((section) => section.backend !== "redis" || section.redis !== undefined, {
    message: "backend: redis needs redis.url",
    path: ["redis"],
  });

const SETTING_KEYS = ["backend", "redis", "lease_seconds"];

/** One queue's settings, defaulted; times in milliseconds. */
export interface QueueDefinition {
  readonly width: number | null;
  readonly rateLimit: { readonly max: number; readonly perMs: number } | null;
  readonly noWorkerTimeoutMs: number;
}

/** `queues`, parsed and defaulted. */
export interface QueueSettings {
  readonly backend: "postgresql" | "redis";
  /** For `backend: redis`: the URL as written (no password) and the variable the password comes from. */
  readonly redis: { readonly url: string; readonly passwordEnv: string | null } | null;
  readonly leaseMs: number;
  readonly definitions: Readonly<Record<string, QueueDefinition>>;
}

/** Bad `queues` section of `bosun.yaml`: one line per problem, naming the field path. */
export class QueuesConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid instance config:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "QueuesConfigError";
  }
}

/** The settings of a queue `bosun.yaml` does not list: no width, no rate limit, the default timeout. */
export const UNLISTED_QUEUE: QueueDefinition = {
  width: null,
  rateLimit: null,
  noWorkerTimeoutMs: DEFAULT_NO_WORKER_TIMEOUT_SECONDS * 1000,
};

/**
 * Validates and defaults the `queues` section of a parsed `bosun.yaml` (other keys are ignored).
 *
 * @example
 * parseQueueSettings({ queues: { warehouse: { width: 2 } } }).definitions.warehouse?.width; // 2
 */
export function parseQueueSettings(raw: Readonly<Record<string, unknown>> = {}): QueueSettings {
  const section = raw.queues ?? {};
  if (typeof section !== "object" || section === null || Array.isArray(section))
    throw new QueuesConfigError([
      "queues: expected a mapping of settings (backend, redis, lease_seconds) and queues",
    ]);
  const problems: string[] = [];
  const settingsInput: Record<string, unknown> = {};
  const definitions: Record<string, QueueDefinition> = {};
  for (const [key, value] of Object.entries(section)) {
    if (SETTING_KEYS.includes(key)) {
      settingsInput[key] = value;
      continue;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      // A misspelt setting ("backnd: redis") lands here: its value is not a queue's mapping.
      const suggestion = nearest(key, SETTING_KEYS);
      problems.push(
        `queues.${key}: expected a queue definition { width, rate_limit, no_worker_timeout_seconds }${suggestion ? ` (did you mean "${suggestion}"?)` : ""}`,
      );
      continue;
    }
    if (!/^[A-Za-z0-9_.-]+$/.test(key)) {
      problems.push(`queues.${key}: a queue name uses only letters, digits, "_", "." and "-"`);
      continue;
    }
    const parsed = queueDefinitionSchema.safeParse(value);
    if (!parsed.success) {
      problems.push(...describeConfigIssues(queueDefinitionSchema, parsed.error.issues, ["queues", key]));
      continue;
    }
    definitions[key] = {
      width: parsed.data.width ?? null,
      rateLimit: parsed.data.rate_limit
        ? { max: parsed.data.rate_limit.max, perMs: Math.round(parsed.data.rate_limit.per_seconds * 1000) }
        : null,
      noWorkerTimeoutMs: Math.round(parsed.data.no_worker_timeout_seconds * 1000),
    };
  }
  const settings = queueBackendSchema.safeParse(settingsInput);
  if (!settings.success)
    problems.unshift(...describeConfigIssues(queueBackendSchema, settings.error.issues, ["queues"]));
  if (problems.length > 0 || !settings.success) throw new QueuesConfigError(problems);
  const { backend, redis, lease_seconds } = settings.data;
  return {
    backend,
    redis: redis ? { url: redis.url, passwordEnv: redis.password_env ?? null } : null,
    leaseMs: Math.round(lease_seconds * 1000),
    definitions,
  };
}
