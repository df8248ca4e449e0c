import type { LocationEntry, ScheduleSnapshot, SensorSnapshot } from "@bosun/code-server";
import {
  findSchedule,
  findSensor,
  type InstigatorLocation,
  InstigatorNotFoundError,
  listScheduleViews,
  listSensorViews,
  type ScheduleView,
  type SensorView,
  setInstigatorStatus as storeInstigatorStatus,
} from "@bosun/daemon";
import type { InstigatorKind, InstigatorStatus, InstigatorStorage } from "@bosun/storage";
import { ApiError } from "../api/api-error.ts";
import { requireLocation, requireSnapshot } from "../server/lookups.ts";
import type { WebserverContext } from "../server/webserver-context.ts";

// The views and the start/stop rule live in @bosun/daemon, shared with the `bosun schedule` and
// `bosun sensor` commands; this file answers them over HTTP (404 for an unknown name, 503 for a
// location that has not loaded).

export type { ScheduleView, SensorView };

export function requireInstigatorStorage(ctx: WebserverContext): InstigatorStorage {
  return ctx.storage.instigators;
}

function locationsWithSnapshots(ctx: WebserverContext): InstigatorLocation[] {
  return ctx.workspace
    .list()
    .flatMap((entry) => (entry.snapshot !== null ? [{ name: entry.name, snapshot: entry.snapshot }] : []));
}

export function listSchedules(ctx: WebserverContext): Promise<ScheduleView[]> {
  return listScheduleViews(requireInstigatorStorage(ctx), locationsWithSnapshots(ctx), ctx.now());
}

export function listSensors(ctx: WebserverContext): Promise<SensorView[]> {
  return listSensorViews(requireInstigatorStorage(ctx), locationsWithSnapshots(ctx));
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
  return answeringNotFound(() => ({
    entry,
    definition:
      kind === "schedule"
        ? findSchedule({ name: location, snapshot }, name)
        : findSensor({ name: location, snapshot }, name),
  }));
}

/** Starts or stops a schedule or sensor (stored, so every replica and the daemon see it). */
export async function setInstigatorStatus(
  ctx: WebserverContext,
  kind: InstigatorKind,
  location: string,
  name: string,
  status: InstigatorStatus,
): Promise<ScheduleView | SensorView> {
  const snapshot = requireSnapshot(requireLocation(ctx, location));
  return answeringNotFound(() =>
    storeInstigatorStatus(
      requireInstigatorStorage(ctx),
      { name: location, snapshot },
      kind,
      name,
      status,
      ctx.now(),
    ),
  );
}

function answeringNotFound<T>(action: () => T): T {
  try {
    const result = action();
    if (result instanceof Promise) return result.catch(toApiError) as T;
    return result;
  } catch (error) {
    return toApiError(error);
  }
}

function toApiError(error: unknown): never {
  if (error instanceof InstigatorNotFoundError)
    throw new ApiError(error.code, error.message, {
      location: error.location ?? "",
      name: error.instigatorName,
    });
  throw error;
}
