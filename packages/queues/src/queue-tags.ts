/**
 * Which queue a step goes to and with what priority: the op or asset tag `bosun-queue/queue` (default
 * `default`), and `bosun-queue/priority` (an integer) added to the run's `bosun/priority`. Higher runs
 * first. BullMQ's scale is the other way round (1 first, 2 097 151 last), and only `toBullPriority`
 * converts between them.
 */

import type { JsonValue } from "@bosun/core";

/** Op or asset tag naming a step's queue. */
export const QUEUE_TAG = "bosun-queue/queue";
/** Op or asset tag adding to the run's priority for this step's place in its queue. */
export const QUEUE_PRIORITY_TAG = "bosun-queue/priority";
/** Run tag of the run's priority (shared with the run queue). */
export const RUN_PRIORITY_TAG = "bosun/priority";
/** The queue of a step whose op has no `bosun-queue/queue` tag. */
export const DEFAULT_QUEUE = "default";

/** Lowest BullMQ priority value that still orders jobs (0 means "no priority" and jumps the line). */
const BULL_HIGHEST = 1;
const BULL_LOWEST = 2_097_151;
/** Bosun priority 0 sits in the middle of BullMQ's range, leaving room both ways. */
const BULL_MIDDLE = 1_048_576;

/** A tag value that is not a usable queue name or priority. */
export class QueueTagError extends Error {
  constructor(
    readonly opName: string,
    readonly tag: string,
    message: string,
  ) {
    super(`op "${opName}": tag ${tag}: ${message}`);
    this.name = "QueueTagError";
  }
}

/** The queue named by an op's tags (`default` without one). */
export function queueOfOp(opName: string, tags: Readonly<Record<string, JsonValue>>): string {
  const value = tags[QUEUE_TAG];
  if (value === undefined) return DEFAULT_QUEUE;
  if (typeof value !== "string" || !/^[A-Za-z0-9_.-]+$/.test(value))
    throw new QueueTagError(
      opName,
      QUEUE_TAG,
      `expected a queue name (letters, digits, _ . -), got ${JSON.stringify(value)}`,
    );
  return value;
}

function integerTag(opName: string, tag: string, value: JsonValue | undefined): number {
  if (value === undefined) return 0;
  const number = typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof number !== "number" || !Number.isInteger(number))
    throw new QueueTagError(opName, tag, `expected an integer, got ${JSON.stringify(value)}`);
  return number;
}

/** A step's priority in its queue: the op's `bosun-queue/priority` plus the run's `bosun/priority`. */
export function stepPriority(
  opName: string,
  opTags: Readonly<Record<string, JsonValue>>,
  runTags: Readonly<Record<string, JsonValue>>,
): number {
  return (
    integerTag(opName, QUEUE_PRIORITY_TAG, opTags[QUEUE_PRIORITY_TAG]) +
    integerTag(opName, RUN_PRIORITY_TAG, runTags[RUN_PRIORITY_TAG])
  );
}

/**
 * Bosun's priority (higher first) as BullMQ's (lower first, 1..2 097 151). Priorities beyond about
 * ±1 million are clamped: they still come first (or last), ties among them in arrival order.
 *
 * @example
 * toBullPriority(10) < toBullPriority(0); // true: 10 is taken before 0
 */
export function toBullPriority(priority: number): number {
  return Math.min(BULL_LOWEST, Math.max(BULL_HIGHEST, BULL_MIDDLE - priority));
}
