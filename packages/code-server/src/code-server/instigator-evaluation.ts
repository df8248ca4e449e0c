import type { JsonValue } from "@bosun/core";
import { didYouMean, toSerializableFailure } from "@bosun/core";
import type { Definitions, RunRequest } from "bosun";
import type { InstigatorEvaluation } from "../code-location/code-location-client.ts";

/** The schedule or sensor asked for is not in the code location. */
export class UnknownInstigatorError extends Error {
  constructor(
    readonly kind: "schedule" | "sensor",
    readonly instigatorName: string,
    readonly known: readonly string[],
  ) {
    super(
      `no ${kind} named "${instigatorName}"${didYouMean(instigatorName, known)} (${kind}s: ${known.join(", ") || "none"})`,
    );
    this.name = "UnknownInstigatorError";
  }
}

/** A schedule's or sensor's `evaluate` returned something that is not a result Bosun understands. */
export class InvalidEvaluationResultError extends Error {
  constructor(
    readonly kind: "schedule" | "sensor",
    readonly instigatorName: string,
    readonly problem: string,
  ) {
    super(`${kind} "${instigatorName}" returned an invalid result: ${problem}`);
    this.name = "InvalidEvaluationResultError";
  }
}

/**
 * Evaluates a schedule for one tick. Whatever goes wrong in the user's code (a throw, a malformed
 * result, an unknown name) is an `{ ok: false, error }` answer, never an exception.
 */
export async function evaluateSchedule(
  definitions: Definitions,
  name: string,
  scheduledTime: Date,
): Promise<InstigatorEvaluation> {
  return guarded(async () => {
    const schedule = definitions.schedules.get(name);
    if (!schedule) throw new UnknownInstigatorError("schedule", name, [...definitions.schedules.keys()]);
    const result: unknown = await schedule.evaluate({ scheduledTime });
    return normalizeScheduleResult(name, result);
  });
}

/**
 * Evaluates a sensor from its stored cursor. The answer's `cursor` is the one to store next: the
 * sensor's new cursor, or the previous one when the sensor did not set one.
 */
export async function evaluateSensor(
  definitions: Definitions,
  name: string,
  cursor: string | null,
  lastRunKey: string | null,
): Promise<InstigatorEvaluation> {
  return guarded(async () => {
    const sensor = definitions.sensors.get(name);
    if (!sensor) throw new UnknownInstigatorError("sensor", name, [...definitions.sensors.keys()]);
    const result: unknown = await sensor.evaluate({ cursor, lastRunKey });
    return normalizeSensorResult(name, result, cursor);
  });
}

async function guarded(evaluate: () => Promise<InstigatorEvaluation>): Promise<InstigatorEvaluation> {
  try {
    return await evaluate();
  } catch (error) {
    return { ok: false, error: toSerializableFailure(error) };
  }
}

/** A schedule returns one run request, a list of them, or `{ skipReason }`. */
export function normalizeScheduleResult(name: string, result: unknown): InstigatorEvaluation {
  const fail = (problem: string) => new InvalidEvaluationResultError("schedule", name, problem);
  if (Array.isArray(result)) {
    return {
      ok: true,
      runRequests: result.map((entry, i) => runRequest(entry, `[${i}]`, fail)),
      skipReason: null,
      cursor: null,
    };
  }
  if (!isPlainObject(result)) {
    throw fail(`expected a run request, a list of run requests or { skipReason }, got ${describe(result)}`);
  }
  if ("skipReason" in result) {
    const extra = Object.keys(result).filter((key) => key !== "skipReason");
    if (extra.length > 0) throw fail(`a skip ({ skipReason }) cannot also have ${extra.join(", ")}`);
    if (typeof result.skipReason !== "string")
      throw fail(`skipReason must be a string, got ${describe(result.skipReason)}`);
    return { ok: true, runRequests: [], skipReason: result.skipReason, cursor: null };
  }
  return { ok: true, runRequests: [runRequest(result, "", fail)], skipReason: null, cursor: null };
}

const SENSOR_RESULT_KEYS = ["runRequests", "cursor", "skipReason"];

/** A sensor returns `{ runRequests?, cursor?, skipReason? }`, or nothing for "nothing to do". */
export function normalizeSensorResult(
  name: string,
  result: unknown,
  previousCursor: string | null,
): InstigatorEvaluation {
  const fail = (problem: string) => new InvalidEvaluationResultError("sensor", name, problem);
  if (result === undefined || result === null) {
    return { ok: true, runRequests: [], skipReason: null, cursor: previousCursor };
  }
  if (!isPlainObject(result))
    throw fail(`expected { runRequests, cursor, skipReason }, got ${describe(result)}`);
  for (const key of Object.keys(result)) {
    if (!SENSOR_RESULT_KEYS.includes(key)) {
      throw fail(
        `unknown key "${key}"${didYouMean(key, SENSOR_RESULT_KEYS)} (expected ${SENSOR_RESULT_KEYS.join(", ")})`,
      );
    }
  }
  const { runRequests = [], cursor, skipReason } = result as Record<string, unknown>;
  if (!Array.isArray(runRequests)) throw fail(`runRequests must be a list, got ${describe(runRequests)}`);
  if (cursor !== undefined && cursor !== null && typeof cursor !== "string")
    throw fail(`cursor must be a string, got ${describe(cursor)}`);
  if (skipReason !== undefined && skipReason !== null && typeof skipReason !== "string")
    throw fail(`skipReason must be a string, got ${describe(skipReason)}`);
  return {
    ok: true,
    runRequests: runRequests.map((entry, i) => runRequest(entry, `runRequests[${i}]`, fail)),
    skipReason: (skipReason as string | null | undefined) ?? null,
    cursor: (cursor as string | null | undefined) ?? previousCursor,
  };
}

const RUN_REQUEST_KEYS = ["runKey", "runConfig", "tags", "partitionKey"];

function runRequest(value: unknown, path: string, fail: (problem: string) => Error): RunRequest {
  const at = (field: string) => (path ? `${path}.${field}` : field);
  if (!isPlainObject(value))
    throw fail(`${path || "the result"} must be a run request object, got ${describe(value)}`);
  for (const key of Object.keys(value)) {
    if (!RUN_REQUEST_KEYS.includes(key)) {
      throw fail(
        `${at(key)}: unknown key${didYouMean(key, RUN_REQUEST_KEYS)} (a run request has ${RUN_REQUEST_KEYS.join(", ")})`,
      );
    }
  }
  const request: { -readonly [K in keyof RunRequest]: RunRequest[K] } = {};
  if (value.runKey !== undefined) {
    if (typeof value.runKey !== "string")
      throw fail(`${at("runKey")} must be a string, got ${describe(value.runKey)}`);
    request.runKey = value.runKey;
  }
  if (value.partitionKey !== undefined) {
    if (typeof value.partitionKey !== "string")
      throw fail(`${at("partitionKey")} must be a string, got ${describe(value.partitionKey)}`);
    request.partitionKey = value.partitionKey;
  }
  if (value.runConfig !== undefined) {
    if (!isPlainObject(value.runConfig))
      throw fail(`${at("runConfig")} must be a mapping, got ${describe(value.runConfig)}`);
    request.runConfig = asJson(value.runConfig, at("runConfig"), fail) as Record<string, JsonValue>;
  }
  if (value.tags !== undefined) {
    if (!isPlainObject(value.tags))
      throw fail(`${at("tags")} must be a mapping, got ${describe(value.tags)}`);
    const tags: Record<string, string> = {};
    for (const [key, tag] of Object.entries(value.tags)) {
      if (typeof tag !== "string") throw fail(`${at(`tags.${key}`)} must be a string, got ${describe(tag)}`);
      tags[key] = tag;
    }
    request.tags = tags;
  }
  return request;
}

/** Run config crosses processes as JSON: values JSON cannot carry are an error, not silently dropped. */
function asJson(value: unknown, path: string, fail: (problem: string) => Error): JsonValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw fail(`${path} is ${value}, which JSON cannot carry`);
    return value;
  }
  if (Array.isArray(value)) return value.map((item, i) => asJson(item, `${path}[${i}]`, fail));
  if (isPlainObject(value)) {
    const out: Record<string, JsonValue> = {};
    for (const [key, child] of Object.entries(value)) {
      if (child !== undefined) out[key] = asJson(child, `${path}.${key}`, fail);
    }
    return out;
  }
  throw fail(`${path} is ${describe(value)}, which JSON cannot carry`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "a list";
  if (value instanceof Date) return "a Date";
  if (typeof value === "object") return `an object of class ${value.constructor?.name ?? "unknown"}`;
  if (typeof value === "function") return "a function";
  return `${typeof value} ${JSON.stringify(value)}`;
}
