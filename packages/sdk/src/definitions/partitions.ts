import { DefinitionError } from "./definition-error.ts";
import type { TimeWindow } from "./op-context.ts";

/**
 * How an asset or job is split into partitions. A run targets one partition key.
 * Time windows are in UTC: a daily key `2024-05-01` covers [2024-05-01T00:00Z, 2024-05-02T00:00Z).
 */
export type PartitionsDefinition = StaticPartitionsDefinition | TimeWindowPartitionsDefinition;

export interface StaticPartitionsDefinition {
  readonly kind: "static";
  readonly keys: readonly string[];
}

export interface TimeWindowPartitionsDefinition {
  readonly kind: "daily" | "hourly";
  /** First window's start, UTC. */
  readonly start: Date;
}

/**
 * Partitions with fixed keys. Throws `DefinitionError` (INVALID_PARTITION) when there are none, one is empty
 * or one is listed twice.
 *
 * @example
 * const byRegion = asset({
 *   key: "orders_by_region",
 *   partitions: staticPartitions(["eu", "us", "apac"]),
 *   run: async (ctx) => loadOrders({ region: ctx.partitionKey }),
 * });
 */
export function staticPartitions(keys: readonly string[]): StaticPartitionsDefinition {
  if (keys.length === 0)
    throw new DefinitionError("INVALID_PARTITION", "staticPartitions needs at least one key");
  const seen = new Set<string>();
  for (const key of keys) {
    if (typeof key !== "string" || key.length === 0) {
      throw new DefinitionError(
        "INVALID_PARTITION",
        `static partition keys must be non-empty strings, got ${JSON.stringify(key)}`,
      );
    }
    if (seen.has(key))
      throw new DefinitionError("INVALID_PARTITION", `static partition key "${key}" is listed twice`, [key]);
    seen.add(key);
  }
  return { kind: "static", keys: [...keys] };
}

/**
 * Daily partitions from `startDate` (`YYYY-MM-DD`), keys `YYYY-MM-DD`.
 *
 * @example
 * const dailyOrders = asset({
 *   key: "daily_orders",
 *   partitions: dailyPartitions({ startDate: "2024-05-01" }),
 *   run: async (ctx) => loadOrders(ctx.partitionKey), // "2024-05-01", then one key per day
 * });
 */
export function dailyPartitions(options: { startDate: string }): TimeWindowPartitionsDefinition {
  const start = parseDailyKey(options.startDate);
  if (!start) {
    throw new DefinitionError(
      "INVALID_PARTITION",
      `dailyPartitions startDate must be YYYY-MM-DD, got ${JSON.stringify(options.startDate)}`,
    );
  }
  return { kind: "daily", start };
}

/**
 * Hourly partitions from `startDate` (`YYYY-MM-DD` or `YYYY-MM-DD-HH:00`), keys `YYYY-MM-DD-HH:00`.
 *
 * @example
 * const hourly = hourlyPartitions({ startDate: "2024-05-01" });
 * export const clicksJob = job({ name: "clicks_job", partitions: hourly, build: () => { countClicks(); } });
 * // a run of partition "2024-05-01-13:00" sees ctx.partitionKey === "2024-05-01-13:00"
 */
export function hourlyPartitions(options: { startDate: string }): TimeWindowPartitionsDefinition {
  const start = parseHourlyKey(options.startDate) ?? parseDailyKey(options.startDate);
  if (!start) {
    throw new DefinitionError(
      "INVALID_PARTITION",
      `hourlyPartitions startDate must be YYYY-MM-DD or YYYY-MM-DD-HH:00, got ${JSON.stringify(options.startDate)}`,
    );
  }
  return { kind: "hourly", start };
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

function parseDailyKey(key: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (!match) return null;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return formatDaily(date) === key ? date : null;
}

function parseHourlyKey(key: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})-(\d{2}):00$/.exec(key);
  if (!match) return null;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(match[4])));
  return formatHourly(date) === key ? date : null;
}

function formatDaily(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function formatHourly(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)}-${iso.slice(11, 13)}:00`;
}

function windowLength(definition: TimeWindowPartitionsDefinition): number {
  return definition.kind === "daily" ? DAY_MS : HOUR_MS;
}

/** Every key, oldest first; time windows end with the last window that has fully ended by `now`. */
export function partitionKeys(definition: PartitionsDefinition, now: Date = new Date()): string[] {
  if (definition.kind === "static") return [...definition.keys];
  const length = windowLength(definition);
  const format = definition.kind === "daily" ? formatDaily : formatHourly;
  const keys: string[] = [];
  for (let t = definition.start.getTime(); t + length <= now.getTime(); t += length)
    keys.push(format(new Date(t)));
  return keys;
}

/** The problem with a key, or null when it belongs to the definition. */
export function partitionKeyProblem(
  definition: PartitionsDefinition,
  key: string,
  now: Date = new Date(),
): string | null {
  if (definition.kind === "static") {
    return definition.keys.includes(key)
      ? null
      : `expected one of ${definition.keys.map((k) => `"${k}"`).join(", ")}`;
  }
  const start = definition.kind === "daily" ? parseDailyKey(key) : parseHourlyKey(key);
  const shape = definition.kind === "daily" ? "YYYY-MM-DD" : "YYYY-MM-DD-HH:00";
  if (!start) return `expected a ${definition.kind} key shaped ${shape}`;
  if (start < definition.start)
    return `is before the first partition ${formatFor(definition, definition.start)}`;
  if (start.getTime() + windowLength(definition) > now.getTime()) return "is a window that has not ended yet";
  return null;
}

function formatFor(definition: TimeWindowPartitionsDefinition, date: Date): string {
  return definition.kind === "daily" ? formatDaily(date) : formatHourly(date);
}

/** The time window a key covers, or null for static partitions and keys that do not parse. */
export function partitionTimeWindow(definition: PartitionsDefinition, key: string): TimeWindow | null {
  if (definition.kind === "static") return null;
  const start = definition.kind === "daily" ? parseDailyKey(key) : parseHourlyKey(key);
  if (!start) return null;
  return { start, end: new Date(start.getTime() + windowLength(definition)) };
}

export function describePartitions(definition: PartitionsDefinition): string {
  return definition.kind === "static"
    ? `static (${definition.keys.length} keys)`
    : `${definition.kind} from ${formatFor(definition, definition.start)}`;
}
