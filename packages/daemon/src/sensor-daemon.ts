import type { LocationEntry, SensorSnapshot } from "@bosun/code-server";
import { toSerializableFailure } from "@bosun/core";
import type { InstigatorState, TickRecord } from "@bosun/storage";
import type { DaemonLoop, IterationResult } from "./daemon-loop.ts";
import type { DaemonResources } from "./daemon-resources.ts";
import { evaluateSensorFromState } from "./instigator-evaluation.ts";
import { UnfinishedTicks } from "./unfinished-ticks.ts";

/**
 * The sensor loop.
 *
 * A running sensor is evaluated when its minimum interval has passed since its last evaluation. Each
 * evaluation is a tick whose key is "the evaluation after the one at <last evaluation time>": every daemon
 * reading the same stored state computes the same key, so only one of them claims it. The evaluation runs
 * on the code server with the stored cursor; requested runs are queued with idempotency keys made of the
 * sensor and its run key (a run key is used at most once per sensor, ever; requests without one are
 * keyed by the tick); then the new cursor and the evaluation time are stored, which moves the key on. A
 * daemon dying mid-way leaves the tick STARTED and the state unchanged: after `stale_evaluation_seconds`
 * another pass takes the tick over, and the run keys keep the re-evaluation from doubling runs.
 *
 * Tick outcome: SUCCESS when runs were queued, SKIPPED when nothing new was requested (or every run key
 * was used already), FAILURE when the evaluation failed (the cursor is kept).
 */
export class SensorDaemon implements DaemonLoop {
  readonly type = "SENSOR" as const;
  private readonly unfinished: UnfinishedTicks;
  private nextWakeAt: number | null = null;

  constructor(private readonly resources: DaemonResources) {
    this.unfinished = new UnfinishedTicks(resources.settings.sensors.staleEvaluationMs);
  }

  nextDelayMs(): number {
    const max = this.resources.settings.sensors.intervalMs;
    if (this.nextWakeAt === null) return max;
    return Math.max(0, Math.min(max, this.nextWakeAt - this.resources.clock.now()));
  }

  async iterate(): Promise<IterationResult> {
    const errors: unknown[] = [];
    this.nextWakeAt = null;
    for (const location of this.resources.workspace.list()) {
      for (const sensor of location.snapshot?.sensors ?? []) {
        try {
          await this.maybeEvaluate(location, sensor);
        } catch (error) {
          errors.push(
            new Error(
              `sensor "${sensor.name}" of "${location.name}": ${(error as Error)?.message ?? String(error)}`,
              {
                cause: error,
              },
            ),
          );
        }
      }
    }
    return { errors };
  }

  private async maybeEvaluate(location: LocationEntry, sensor: SensorSnapshot): Promise<void> {
    const { storage, clock, log } = this.resources;
    const now = clock.now();
    const state = await storage.instigators.getState("sensor", location.name, sensor.name);
    if ((state?.status ?? sensor.defaultStatus) !== "RUNNING") return;
    const intervalMs = sensor.minimumIntervalSeconds * 1000;
    const last = state?.lastEvaluatedAt ?? null;
    if (last !== null && now - last < intervalMs) {
      this.wakeAt(last + intervalMs);
      return;
    }
    const tickKey = `after:${last ?? "never"}`;
    let tick = await storage.instigators.claimTick({
      kind: "sensor",
      location: location.name,
      name: sensor.name,
      tickKey,
      timestamp: now,
    });
    if (!tick) {
      const existing = await storage.instigators.getTickByKey("sensor", location.name, sensor.name, tickKey);
      if (existing && existing.status !== "STARTED") {
        // Finished. The evaluating daemon stores the state before finishing the tick, so a fresh read that
        // still points before this tick means that state update was lost: move on from the stored cursor.
        const fresh = await storage.instigators.getState("sensor", location.name, sensor.name);
        if ((fresh?.lastEvaluatedAt ?? null) === last)
          await storage.instigators.setSensorCursor(
            location.name,
            sensor.name,
            fresh?.cursor ?? null,
            existing.timestamp,
          );
        return;
      }
      if (!existing || !this.unfinished.isStale(existing.tickId, now)) return;
      this.unfinished.forget(existing.tickId);
      log(
        "warning",
        `sensor ${sensor.name}: taking over evaluation ${existing.tickId} left unfinished by another daemon`,
      );
      tick = existing;
    }
    await this.evaluate(location, sensor, state, tick, now);
    this.wakeAt(now + intervalMs);
  }

  private async evaluate(
    location: LocationEntry,
    sensor: SensorSnapshot,
    state: InstigatorState | null,
    tick: TickRecord,
    now: number,
  ): Promise<void> {
    const { storage, workspace, runRequests, log } = this.resources;
    const instigators = storage.instigators;
    const cursor = state?.cursor ?? null;
    try {
      const { evaluation } = await evaluateSensorFromState(
        instigators,
        workspace.client(location.name),
        location.name,
        sensor,
        state,
        tick.tickId,
      );
      if (!evaluation.ok) {
        // Keep the cursor, but count the attempt so a failing sensor is retried at its interval, not in a loop.
        await instigators.setSensorCursor(location.name, sensor.name, cursor, now);
        await instigators.finishTick(tick.tickId, { status: "FAILURE", error: evaluation.error, cursor });
        log("warning", `sensor ${sensor.name} evaluation failed: ${evaluation.error.message}`);
        return;
      }
      const created: string[] = [];
      const runKeys: string[] = [];
      for (const [index, request] of evaluation.runRequests.entries()) {
        const result = await runRequests.requestFromInstigator({
          tick,
          jobName: sensor.jobName,
          request,
          index,
        });
        if (result.created) created.push(result.run.runId);
        if (request.runKey !== undefined) runKeys.push(request.runKey);
      }
      const nextCursor = evaluation.cursor ?? cursor;
      await instigators.setSensorCursor(location.name, sensor.name, nextCursor, now);
      if (created.length > 0) {
        await instigators.finishTick(tick.tickId, {
          status: "SUCCESS",
          runIds: created,
          runKeys,
          cursor: nextCursor,
        });
        log("info", `sensor ${sensor.name}: queued ${created.join(", ")}`);
      } else {
        const skipReason =
          evaluation.runRequests.length > 0
            ? "every requested run key was used already"
            : (evaluation.skipReason ?? "the sensor requested no run");
        await instigators.finishTick(tick.tickId, {
          status: "SKIPPED",
          skipReason,
          runKeys,
          cursor: nextCursor,
        });
      }
    } catch (error) {
      await instigators.setSensorCursor(location.name, sensor.name, cursor, now);
      await instigators.finishTick(tick.tickId, {
        status: "FAILURE",
        error: toSerializableFailure(error),
        cursor,
      });
      throw error;
    }
  }

  private wakeAt(time: number): void {
    this.nextWakeAt = Math.min(this.nextWakeAt ?? time, time);
  }
}
