import type { DefinitionsSnapshot, ScheduleSnapshot, SensorSnapshot } from "@bosun/code-server";
import { didYouMean } from "@bosun/core";
import type {
  InstigatorKind,
  InstigatorState,
  InstigatorStatus,
  InstigatorStorage,
  TickRecord,
} from "@bosun/storage";
import { cronOf, nextTick } from "./schedule-ticks.ts";

/**
 * Schedules and sensors as people see them (the webserver's API, the `bosun schedule` and `bosun sensor`
 * commands): the definition from the location's snapshot, the status stored for it (else its default),
 * and when the daemon acts on it next. Starting and stopping is stored here too, so every webserver
 * replica, every command and the daemon read the same state.
 */

/** A location's name and definitions: all the views need of it. */
export interface InstigatorLocation {
  readonly name: string;
  readonly snapshot: DefinitionsSnapshot;
}

/** A schedule as listed: its definition (from the snapshot), stored status, next and latest tick. */
export interface ScheduleView extends ScheduleSnapshot {
  readonly location: string;
  readonly status: InstigatorStatus;
  /** ISO time of the next tick when RUNNING, else null. */
  readonly nextTickAt: string | null;
  readonly latestTick: TickRecord | null;
}

/** A sensor as listed: its definition, stored status and cursor, last and next evaluation, latest tick. */
export interface SensorView extends SensorSnapshot {
  readonly location: string;
  readonly status: InstigatorStatus;
  readonly cursor: string | null;
  readonly lastEvaluatedAt: number | null;
  /** When the daemon may evaluate it next (ms since epoch), when RUNNING. */
  readonly nextEvaluationAt: number | null;
  readonly latestTick: TickRecord | null;
}

/** No schedule or sensor of that name. Names the location (when one was meant) and the nearest name. */
export class InstigatorNotFoundError extends Error {
  readonly code: "SCHEDULE_NOT_FOUND" | "SENSOR_NOT_FOUND";
  constructor(
    readonly kind: InstigatorKind,
    readonly instigatorName: string,
    /** The location searched; null when several were. */
    readonly location: string | null,
    readonly known: readonly string[],
  ) {
    super(
      `no ${kind} "${instigatorName}"${location === null ? "" : ` in code location "${location}"`}${didYouMean(instigatorName, known)}`,
    );
    this.name = "InstigatorNotFoundError";
    this.code = kind === "schedule" ? "SCHEDULE_NOT_FOUND" : "SENSOR_NOT_FOUND";
  }
}

const stateKey = (location: string, name: string) => `${location}\u0000${name}`;

async function statesByName(storage: InstigatorStorage, kind: InstigatorKind) {
  const states = await storage.listStates(kind);
  return new Map(states.map((s) => [stateKey(s.location, s.name), s]));
}

/** Every schedule of the locations, with its state. */
export async function listScheduleViews(
  storage: InstigatorStorage,
  locations: readonly InstigatorLocation[],
  now: Date,
): Promise<ScheduleView[]> {
  const states = await statesByName(storage, "schedule");
  return Promise.all(
    locations.flatMap((location) =>
      location.snapshot.schedules.map((schedule) =>
        scheduleView(
          storage,
          location.name,
          schedule,
          states.get(stateKey(location.name, schedule.name)),
          now,
        ),
      ),
    ),
  );
}

/** Every sensor of the locations, with its state. */
export async function listSensorViews(
  storage: InstigatorStorage,
  locations: readonly InstigatorLocation[],
): Promise<SensorView[]> {
  const states = await statesByName(storage, "sensor");
  return Promise.all(
    locations.flatMap((location) =>
      location.snapshot.sensors.map((sensor) =>
        sensorView(storage, location.name, sensor, states.get(stateKey(location.name, sensor.name))),
      ),
    ),
  );
}

/** The schedule's definition in a location; `InstigatorNotFoundError` (with the nearest name) when absent. */
export function findSchedule(location: InstigatorLocation, name: string): ScheduleSnapshot {
  return findIn("schedule", location.name, location.snapshot.schedules, name);
}

/** The sensor's definition in a location; `InstigatorNotFoundError` (with the nearest name) when absent. */
export function findSensor(location: InstigatorLocation, name: string): SensorSnapshot {
  return findIn("sensor", location.name, location.snapshot.sensors, name);
}

function findIn<T extends { readonly name: string }>(
  kind: InstigatorKind,
  location: string,
  list: readonly T[],
  name: string,
): T {
  const definition = list.find((candidate) => candidate.name === name);
  if (definition) return definition;
  throw new InstigatorNotFoundError(
    kind,
    name,
    location,
    list.map((candidate) => candidate.name),
  );
}

/**
 * Starts or stops a schedule or sensor of a location (stored, so every replica and the daemon see it).
 *
 * @example
 * await setInstigatorStatus(storage, location, "schedule", "nightly_etl", "STOPPED", new Date());
 */
export async function setInstigatorStatus(
  storage: InstigatorStorage,
  location: InstigatorLocation,
  kind: InstigatorKind,
  name: string,
  status: InstigatorStatus,
  now: Date,
): Promise<ScheduleView | SensorView> {
  if (kind === "schedule") {
    const schedule = findSchedule(location, name);
    const state = await storage.setStatus(kind, location.name, name, status);
    return scheduleView(storage, location.name, schedule, state, now);
  }
  const sensor = findSensor(location, name);
  const state = await storage.setStatus(kind, location.name, name, status);
  return sensorView(storage, location.name, sensor, state);
}

/** The schedule's first tick strictly after `after`, read in its timezone; null when it never fires again. */
export function nextScheduleTickAfter(
  schedule: Pick<ScheduleSnapshot, "cron" | "timezone">,
  after: Date,
): Date | null {
  try {
    const time = nextTick(cronOf(schedule.cron, schedule.timezone), after.getTime());
    return time === null ? null : new Date(time);
  } catch {
    // The code server validated the expression; a snapshot from a newer cron dialect must not break the list.
    return null;
  }
}

async function scheduleView(
  storage: InstigatorStorage,
  location: string,
  schedule: ScheduleSnapshot,
  state: InstigatorState | undefined,
  now: Date,
): Promise<ScheduleView> {
  const status = state?.status ?? schedule.defaultStatus;
  return {
    ...schedule,
    location,
    status,
    nextTickAt: status === "RUNNING" ? (nextScheduleTickAfter(schedule, now)?.toISOString() ?? null) : null,
    latestTick: await storage.latestTick("schedule", location, schedule.name),
  };
}

async function sensorView(
  storage: InstigatorStorage,
  location: string,
  sensor: SensorSnapshot,
  state: InstigatorState | undefined,
): Promise<SensorView> {
  const status = state?.status ?? sensor.defaultStatus;
  const lastEvaluatedAt = state?.lastEvaluatedAt ?? null;
  return {
    ...sensor,
    location,
    status,
    cursor: state?.cursor ?? null,
    lastEvaluatedAt,
    nextEvaluationAt:
      status === "RUNNING" && lastEvaluatedAt !== null
        ? lastEvaluatedAt + sensor.minimumIntervalSeconds * 1000
        : null,
    latestTick: await storage.latestTick("sensor", location, sensor.name),
  };
}
