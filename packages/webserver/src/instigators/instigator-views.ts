import type { LocationEntry, ScheduleSnapshot, SensorSnapshot } from "@bosun/code-server";
import { didYouMean } from "@bosun/core";
import type {
  InstigatorKind,
  InstigatorState,
  InstigatorStatus,
  InstigatorStorage,
  TickRecord,
} from "@bosun/storage";
import { ApiError } from "../api/api-error.ts";
import { requireLocation, requireSnapshot } from "../server/lookups.ts";
import type { WebserverContext } from "../server/webserver-context.ts";
import { nextScheduleTick } from "./next-tick.ts";

/** A schedule as listed: its definition (from the snapshot), stored status, next and latest tick. */
export interface ScheduleView extends ScheduleSnapshot {
  readonly location: string;
  readonly status: InstigatorStatus;
  /** ISO time of the next tick when RUNNING, else null. */
  readonly nextTickAt: string | null;
  readonly latestTick: TickRecord | null;
}

export interface SensorView extends SensorSnapshot {
  readonly location: string;
  readonly status: InstigatorStatus;
  readonly cursor: string | null;
  readonly lastEvaluatedAt: number | null;
  /** When the daemon may evaluate it next (ms since epoch), when RUNNING. */
  readonly nextEvaluationAt: number | null;
  readonly latestTick: TickRecord | null;
}

export function requireInstigatorStorage(ctx: WebserverContext): InstigatorStorage {
  return ctx.storage.instigators;
}

const stateKey = (location: string, name: string) => `${location}\u0000${name}`;

async function statesByName(storage: InstigatorStorage, kind: InstigatorKind) {
  const states = await storage.listStates(kind);
  return new Map(states.map((s) => [stateKey(s.location, s.name), s]));
}

function locationsWithSnapshots(ctx: WebserverContext): LocationEntry[] {
  return ctx.workspace.list().filter((entry) => entry.snapshot !== null);
}

export async function listSchedules(ctx: WebserverContext): Promise<ScheduleView[]> {
  const storage = requireInstigatorStorage(ctx);
  const states = await statesByName(storage, "schedule");
  const views: Promise<ScheduleView>[] = [];
  for (const entry of locationsWithSnapshots(ctx))
    for (const schedule of entry.snapshot!.schedules)
      views.push(
        scheduleView(ctx, storage, entry.name, schedule, states.get(stateKey(entry.name, schedule.name))),
      );
  return Promise.all(views);
}

export async function listSensors(ctx: WebserverContext): Promise<SensorView[]> {
  const storage = requireInstigatorStorage(ctx);
  const states = await statesByName(storage, "sensor");
  const views: Promise<SensorView>[] = [];
  for (const entry of locationsWithSnapshots(ctx))
    for (const sensor of entry.snapshot!.sensors)
      views.push(sensorView(storage, entry.name, sensor, states.get(stateKey(entry.name, sensor.name))));
  return Promise.all(views);
}

async function scheduleView(
  ctx: WebserverContext,
  storage: InstigatorStorage,
  location: string,
  schedule: ScheduleSnapshot,
  state: InstigatorState | undefined,
): Promise<ScheduleView> {
  const status = state?.status ?? schedule.defaultStatus;
  return {
    ...schedule,
    location,
    status,
    nextTickAt: status === "RUNNING" ? (nextScheduleTick(schedule, ctx.now())?.toISOString() ?? null) : null,
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

/** The definition of a schedule or sensor of a location, or 404. */
export function requireInstigator(
  ctx: WebserverContext,
  kind: InstigatorKind,
  location: string,
  name: string,
): { entry: LocationEntry; definition: ScheduleSnapshot | SensorSnapshot } {
  const entry = requireLocation(ctx, location);
  const snapshot = requireSnapshot(entry);
  const list: readonly (ScheduleSnapshot | SensorSnapshot)[] =
    kind === "schedule" ? snapshot.schedules : snapshot.sensors;
  const definition = list.find((d) => d.name === name);
  if (definition) return { entry, definition };
  throw new ApiError(
    kind === "schedule" ? "SCHEDULE_NOT_FOUND" : "SENSOR_NOT_FOUND",
    `no ${kind} "${name}" in code location "${location}"${didYouMean(
      name,
      list.map((d) => d.name),
    )}`,
    { location, name },
  );
}

/** Starts or stops a schedule or sensor (stored, so every replica and the daemon see it). */
export async function setInstigatorStatus(
  ctx: WebserverContext,
  kind: InstigatorKind,
  location: string,
  name: string,
  status: InstigatorStatus,
): Promise<ScheduleView | SensorView> {
  const storage = requireInstigatorStorage(ctx);
  const { definition } = requireInstigator(ctx, kind, location, name);
  const state = await storage.setStatus(kind, location, name, status);
  return kind === "schedule"
    ? scheduleView(ctx, storage, location, definition as ScheduleSnapshot, state)
    : sensorView(storage, location, definition as SensorSnapshot, state);
}
