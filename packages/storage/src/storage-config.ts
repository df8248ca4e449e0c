import { nearest } from "@bosun/core";
import { z } from "zod";
import { DEFAULT_OUTAGE_TOLERANCE_MS } from "./outage/outage-policy.ts";

/**
 * The `storage` section of `bosun.yaml`.
 *
 * ```yaml
 * storage:                 # absent: an embedded PostgreSQL under $BOSUN_HOME/postgres
 *   postgres:
 *     url: postgres://bosun@db.internal:5432/bosun?sslmode=require
 * ```
 * or
 * ```yaml
 * storage:
 *   outage_tolerance_seconds: 300   # how long workers wait out a database outage (default 120)
 *   postgres:
 *     host: db.internal
 *     port: 5432
 *     username: bosun
 *     database: bosun
 *     password_env: BOSUN_PG_PASSWORD   # the password is read from this environment variable
 *     params: { sslmode: require }
 * ```
 */
const postgresSchema = z
  .strictObject({
    /** Full connection URL (`postgres://user:password@host:port/database?params`); excludes the other fields. */
    url: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "a URL starting with postgres:// or postgresql://")
      .optional()
      .describe("Connection URL; use instead of host/port/username/database"),
    /** Server host name or address. */
    host: z.string().min(1).optional().describe("PostgreSQL host"),
    /** Server port. */
    port: z.number().int().min(1).max(65535).optional().describe("PostgreSQL port (default 5432)"),
    /** Role to log in as. */
    username: z.string().min(1).optional().describe("User name"),
    /** Database holding Bosun's tables (created by the administrator; Bosun creates the tables). */
    database: z.string().min(1).optional().describe("Database name"),
    /** Name of the environment variable holding the password, so the password never sits in the file. */
    password_env: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name")
      .optional()
      .describe("Environment variable holding the password (default BOSUN_PG_PASSWORD)"),
    /** Extra connection parameters, as in a URL query: sslmode, application_name, connect_timeout... */
    params: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .optional()
      .describe("Extra connection parameters (sslmode, connect_timeout, ...)"),
  })
  .superRefine((value, ctx) => {
    if (value.url !== undefined) {
      for (const key of ["host", "port", "username", "database", "password_env", "params"] as const) {
        if (value[key] !== undefined) {
          ctx.addIssue({ code: "custom", path: [key], message: "not allowed together with url" });
        }
      }
      return;
    }
    for (const key of ["host", "username", "database"] as const) {
      if (value[key] === undefined) {
        ctx.addIssue({ code: "custom", path: [key], message: "required (or give url instead)" });
      }
    }
  });

export const storageConfigSchema = z
  .strictObject({
    /** An external PostgreSQL; absent: the embedded one. */
    postgres: postgresSchema.optional().describe("External PostgreSQL"),
    /**
     * How long run and step workers wait out a database outage (buffering events and logs, retrying
     * with back-off) before their run fails, saying so. Managed databases restart and fail over in
     * well under the default.
     */
    outage_tolerance_seconds: z
      .number()
      .min(1, "at least 1 (second)")
      .max(86_400, "at most 86400 (one day)")
      .refine(Number.isInteger, "a whole number of seconds")
      .optional()
      .describe("Seconds a worker waits out a database outage before failing its run (default 120)"),
  })
  .optional()
  .describe("Where Bosun keeps runs and events; absent means an embedded PostgreSQL under $BOSUN_HOME");

export type StorageConfigInput = z.input<typeof storageConfigSchema>;

/** The storage section, resolved: where to connect, without having read the password yet. */
export type StorageConfig =
  | { readonly kind: "embedded" }
  | { readonly kind: "url"; readonly url: string }
  | {
      readonly kind: "fields";
      readonly host: string;
      readonly port: number;
      readonly username: string;
      readonly database: string;
      readonly passwordEnv: string;
      readonly params: Readonly<Record<string, string>>;
    };

export const DEFAULT_PASSWORD_ENV = "BOSUN_PG_PASSWORD";

/** Bad `storage` section. The message names the field path, what was expected, and the nearest valid key. */
export class StorageConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid instance config:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "StorageConfigError";
  }
}

/**
 * Validates the `storage` value of `bosun.yaml` (`undefined` when the section is absent).
 * `path` prefixes field paths in messages.
 */
export function parseStorageConfig(value: unknown, path: readonly string[] = ["storage"]): StorageConfig {
  const postgres = parseStorageSection(value, path)?.postgres;
  if (!postgres) return { kind: "embedded" };
  if (postgres.url !== undefined) return { kind: "url", url: postgres.url };
  return {
    kind: "fields",
    host: postgres.host!,
    port: postgres.port ?? 5432,
    username: postgres.username!,
    database: postgres.database!,
    passwordEnv: postgres.password_env ?? DEFAULT_PASSWORD_ENV,
    params: Object.fromEntries(Object.entries(postgres.params ?? {}).map(([k, v]) => [k, String(v)])),
  };
}

/**
 * `storage.outage_tolerance_seconds` of `bosun.yaml` in milliseconds (default 120 s), validated with the
 * rest of the section: how long a worker waits out a database outage before its run fails.
 */
export function parseOutageToleranceMs(value: unknown, path: readonly string[] = ["storage"]): number {
  const seconds = parseStorageSection(value, path)?.outage_tolerance_seconds;
  return seconds === undefined ? DEFAULT_OUTAGE_TOLERANCE_MS : seconds * 1000;
}

function parseStorageSection(value: unknown, path: readonly string[]): z.output<typeof storageConfigSchema> {
  const result = storageConfigSchema.safeParse(value ?? undefined);
  if (!result.success) {
    throw new StorageConfigError(result.error.issues.flatMap((issue) => describeIssue(issue, path)));
  }
  return result.data;
}

const KEYS_AT: Readonly<Record<string, readonly string[]>> = {
  "": ["postgres", "outage_tolerance_seconds"],
  postgres: ["url", "host", "port", "username", "database", "password_env", "params"],
};

function describeIssue(issue: z.core.$ZodIssue, prefix: readonly string[]): string[] {
  const where = [...prefix, ...issue.path.map(String)].join(".");
  if (issue.code === "unrecognized_keys") {
    const valid = KEYS_AT[issue.path.map(String).join(".")] ?? [];
    return issue.keys.map((key) => {
      const suggestion = nearest(key, valid);
      const hint = suggestion ? `did you mean "${suggestion}"?` : `expected one of: ${valid.join(", ")}`;
      return `${where ? `${where}.` : ""}${key}: unknown key (${hint})`;
    });
  }
  if (issue.code === "invalid_type") {
    return [`${where}: expected ${issue.expected}`];
  }
  return [`${where}: ${issue.message}`];
}
