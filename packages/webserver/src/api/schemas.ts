import { EVENT_TYPES, RUN_STATUSES } from "@bosun/core";
import { INPUT_LIMITS } from "../input/input-limits.ts";

/**
 * JSON schemas shared by routes (request validation and response serialization) and listed as
 * components in the OpenAPI document. Any JSON value is `{}`.
 */

const nullable = (type: string, extra: Record<string, unknown> = {}) => ({ type: [type, "null"], ...extra });
const stringMap = { type: "object", additionalProperties: { type: "string" } } as const;

export const failureSchema = {
  type: "object",
  description: "An error with its class, message, stack and cause chain",
  properties: {
    className: { type: "string" },
    message: { type: "string" },
    stack: nullable("string"),
    cause: {},
  },
} as const;

export const errorSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string" },
        message: { type: "string" },
        details: { type: "object", additionalProperties: true },
      },
    },
  },
} as const;

export const runSchema = {
  type: "object",
  properties: {
    runId: { type: "string" },
    jobName: { type: "string" },
    status: { type: "string", enum: RUN_STATUSES },
    tags: stringMap,
    runConfig: {},
    codeLocation: nullable("string"),
    partitionKey: nullable("string"),
    assetSelection: nullable("array", { items: { type: "string" } }),
    stepKeysToExecute: nullable("array", { items: { type: "string" } }),
    parentRunId: nullable("string"),
    rootRunId: nullable("string"),
    launcherInfo: { type: "object", additionalProperties: true },
    createdAt: { type: "string", format: "date-time" },
    updatedAt: { type: "string", format: "date-time" },
    startTime: nullable("string", { format: "date-time" }),
    endTime: nullable("string", { format: "date-time" }),
  },
} as const;

export const runPageSchema = {
  type: "object",
  properties: {
    runs: { type: "array", items: runSchema },
    nextCursor: nullable("string"),
  },
} as const;

export const eventSchema = {
  type: "object",
  properties: {
    seq: { type: "integer" },
    runId: { type: "string" },
    type: { type: "string", enum: EVENT_TYPES },
    timestamp: { type: "number", description: "ms since the epoch" },
    stepKey: nullable("string"),
    level: { type: "string" },
    message: { type: "string" },
    data: {},
  },
} as const;

export const eventPageSchema = {
  type: "object",
  properties: {
    events: { type: "array", items: eventSchema },
    lastSeq: { type: "integer", description: "Pass as afterSeq to read on" },
    hasMore: { type: "boolean" },
  },
} as const;

export const locationSchema = {
  type: "object",
  properties: {
    name: { type: "string" },
    status: { type: "string", enum: ["LOADING", "LOADED", "ERROR"] },
    address: { type: "string" },
    serverId: nullable("string"),
    updatedAt: { type: "string", format: "date-time" },
    error: { anyOf: [{ type: "null" }, failureSchema] },
    counts: {
      type: "object",
      properties: {
        jobs: { type: "integer" },
        assets: { type: "integer" },
        schedules: { type: "integer" },
        sensors: { type: "integer" },
      },
    },
  },
} as const;

export const API_COMPONENT_SCHEMAS = {
  Error: errorSchema,
  Failure: failureSchema,
  Run: runSchema,
  RunPage: runPageSchema,
  Event: eventSchema,
  EventPage: eventPageSchema,
  Location: locationSchema,
};

/** Path segment names: location, job, schedule and sensor names. */
export const nameSchema = { type: "string", minLength: 1, maxLength: INPUT_LIMITS.nameLength } as const;

/** Asset, step and partition keys. */
export const keySchema = { type: "string", minLength: 1, maxLength: INPUT_LIMITS.keyLength } as const;

/**
 * A sequence number, byte offset or timestamp in ms. The maximum keeps it exact as a JavaScript number
 * and inside PostgreSQL's bigint (a larger one used to reach the database and fail there with a 500).
 */
export const positionSchema = { type: "integer", minimum: 0, maximum: INPUT_LIMITS.maxSafeInteger } as const;
