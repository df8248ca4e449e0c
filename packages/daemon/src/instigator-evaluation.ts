import type {
  CodeLocationClient,
  InstigatorEvaluation,
  ScheduleSnapshot,
  SensorSnapshot,
} from "@bosun/code-server";
import type { InstigatorState, InstigatorStorage } from "@bosun/storage";
import { cronOf } from "./schedule-ticks.ts";

/**
 * How a schedule or sensor is evaluated: shared by the daemon's loops and by previews (`bosun schedule
 * preview`, `bosun sensor preview`), so a preview asks the code exactly what the daemon would, and only
 * the daemon acts on the answer (claims the tick, queues the runs, stores the cursor).
 */

/** A schedule's evaluation for one scheduled time, on its code location. */
export function evaluateScheduleTick(
  client: CodeLocationClient,
  schedule: Pick<ScheduleSnapshot, "name">,
  scheduledTime: number,
): Promise<InstigatorEvaluation> {
  return client.evaluateSchedule(schedule.name, new Date(scheduledTime));
}

/** What a sensor's evaluation was given, and what it answered. */
export interface SensorEvaluation {
  /** The stored cursor it was given. */
  readonly cursor: string | null;
  /** The last run key of its earlier ticks, which it sees as `lastRunKey`. */
  readonly lastRunKey: string | null;
  readonly evaluation: InstigatorEvaluation;
}

/**
 * A sensor's evaluation from its stored state: its cursor and the last run key of its ticks other than
 * `currentTickId` (the tick being evaluated, if any).
 */
export async function evaluateSensorFromState(
  storage: InstigatorStorage,
  client: CodeLocationClient,
  location: string,
  sensor: Pick<SensorSnapshot, "name">,
  state: InstigatorState | null,
  currentTickId: string | null,
): Promise<SensorEvaluation> {
  const cursor = state?.cursor ?? null;
  const lastRunKey = await lastSensorRunKey(storage, location, sensor.name, currentTickId);
  const evaluation = await client.evaluateSensor(sensor.name, cursor, lastRunKey);
  return { cursor, lastRunKey, evaluation };
}

/** The last run key of the sensor's ticks, newest first, skipping `currentTickId`. */
async function lastSensorRunKey(
  storage: InstigatorStorage,
  location: string,
  name: string,
  currentTickId: string | null,
): Promise<string | null> {
  const ticks = await storage.listTicks("sensor", location, name, { limit: 20 });
  for (const tick of ticks) {
    if (tick.tickId === currentTickId) continue;
    const key = tick.runKeys.at(-1);
    if (key !== undefined) return key;
  }
  return null;
}

/** One upcoming tick of a schedule and what its evaluation asks for. */
export interface SchedulePreviewTick {
  /** ISO time of the tick. */
  readonly scheduledTime: string;
  readonly evaluation: InstigatorEvaluation;
}

/**
 * The schedule's next `count` ticks after `now`, each evaluated as the scheduler would evaluate it, with
 * nothing claimed, queued or stored.
 *
 * @example
 * const { ticks } = await previewSchedule(client, schedule, new Date(), 3);
 */
export async function previewSchedule(
  client: CodeLocationClient,
  schedule: Pick<ScheduleSnapshot, "name" | "cron" | "timezone">,
  now: Date,
  count: number,
): Promise<{ readonly ticks: readonly SchedulePreviewTick[] }> {
  const times = cronOf(schedule.cron, schedule.timezone).nextRuns(count, now);
  const ticks: SchedulePreviewTick[] = [];
  for (const time of times) {
    ticks.push({
      scheduledTime: time.toISOString(),
      evaluation: await evaluateScheduleTick(client, schedule, time.getTime()),
    });
  }
  return { ticks };
}

/**
 * The sensor's evaluation from its stored cursor, as its next tick would run it, with nothing claimed,
 * queued or stored (the cursor does not move).
 *
 * @example
 * const { evaluation, cursor } = await previewSensor(storage, client, "main", sensor);
 */
export async function previewSensor(
  storage: InstigatorStorage,
  client: CodeLocationClient,
  location: string,
  sensor: Pick<SensorSnapshot, "name">,
): Promise<SensorEvaluation> {
  const state = await storage.getState("sensor", location, sensor.name);
  return evaluateSensorFromState(storage, client, location, sensor, state, null);
}
