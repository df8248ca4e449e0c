import type { LocationEntry, ScheduleSnapshot } from "@bosun/code-server";
import { toSerializableFailure } from "@bosun/core";
import type { TickRecord } from "@bosun/storage";
import type { Cron } from "croner";
import type { DaemonLoop, IterationResult } from "./daemon-loop.ts";
import type { DaemonResources } from "./daemon-resources.ts";
import { evaluateScheduleTick } from "./instigator-evaluation.ts";
import { cronOf, dueTicks, nextTick, scheduleTickKey } from "./schedule-ticks.ts";
import { UnfinishedTicks } from "./unfinished-ticks.ts";

/**
 * The scheduler.
 *
 * Tick states: a due tick is first CLAIMED by inserting its row (unique per schedule and scheduled time;
 * a second daemon's insert does nothing, so only one daemon goes on) with status STARTED; the schedule is
 * evaluated on its code server; each requested run is queued with an idempotency key derived from the
 * tick, so a retried tick never queues a run twice; the tick ends SUCCESS (runs queued), SKIPPED
 * (nothing requested) or FAILURE (evaluation or validation error). A tick left STARTED by a daemon that
 * died is taken up again once `stale_tick_seconds` old, and its idempotency keys keep it from doubling.
 *
 * Which ticks are due: those after the later of the schedule's last tick and the time it was switched
 * on (for a schedule running by default, never toggled and never ticked: the time this daemon first saw
 * it), up to now; after downtime only the newest `max_catchup_runs` of them run, older ones are dropped.
 */
export class Scheduler implements DaemonLoop {
  readonly type = "SCHEDULER" as const;
  private readonly firstSeen = new Map<string, number>();
  private readonly crons = new Map<string, Cron>();
  private nextWakeAt: number | null = null;
  private readonly unfinished: UnfinishedTicks;

  constructor(private readonly resources: DaemonResources) {
    this.unfinished = new UnfinishedTicks(resources.settings.scheduler.staleTickMs);
  }

  nextDelayMs(): number {
    const { clock, settings } = this.resources;
    const max = settings.scheduler.maxIntervalMs;
    if (this.nextWakeAt === null) return max;
    return Math.max(0, Math.min(max, this.nextWakeAt - clock.now()));
  }

  async iterate(): Promise<IterationResult> {
    const now = this.resources.clock.now();
    this.nextWakeAt = null;
    const errors: unknown[] = [];
    for (const location of this.resources.workspace.list()) {
      for (const schedule of location.snapshot?.schedules ?? []) {
        try {
          await this.tickSchedule(location, schedule, now);
        } catch (error) {
          errors.push(
            new Error(
              `schedule "${schedule.name}" of "${location.name}": ${(error as Error)?.message ?? String(error)}`,
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

  private async tickSchedule(
    location: LocationEntry,
    schedule: ScheduleSnapshot,
    now: number,
  ): Promise<void> {
    const { storage, settings, log } = this.resources;
    const instigators = storage.instigators;
    const id = `${location.name}\0${schedule.name}`;
    const state = await instigators.getState("schedule", location.name, schedule.name);
    const status = state?.status ?? schedule.defaultStatus;
    if (status !== "RUNNING") {
      this.firstSeen.delete(id);
      return;
    }
    const cron = this.cronFor(schedule);
    const upcoming = nextTick(cron, now);
    if (upcoming !== null) this.nextWakeAt = Math.min(this.nextWakeAt ?? upcoming, upcoming);

    const latest = await instigators.latestTick("schedule", location.name, schedule.name);
    if (latest?.status === "STARTED" && this.unfinished.isStale(latest.tickId, now)) {
      this.unfinished.forget(latest.tickId);
      log(
        "warning",
        `schedule ${schedule.name}: finishing tick ${latest.tickKey} left unfinished by another daemon`,
      );
      await this.runTick(location, schedule, latest);
    }

    // Ticks count from the later of the last tick and the time the schedule was switched on; a schedule
    // running by default that never ticked counts from when this daemon first saw it.
    if (!state && !latest && !this.firstSeen.has(id)) this.firstSeen.set(id, now);
    const after = Math.max(
      latest?.timestamp ?? Number.NEGATIVE_INFINITY,
      state ? state.updatedAt.getTime() : latest ? Number.NEGATIVE_INFINITY : this.firstSeen.get(id)!,
    );
    const { due, dropped } = dueTicks(cron, after, now, settings.scheduler.maxCatchupRuns);
    if (dropped)
      log(
        "warning",
        `schedule ${schedule.name}: missed ticks before ${scheduleTickKey(due[0]!)} were dropped (scheduler.max_catchup_runs is ${settings.scheduler.maxCatchupRuns})`,
      );
    for (const time of due) {
      const tickKey = scheduleTickKey(time);
      const tick = await instigators.claimTick({
        kind: "schedule",
        location: location.name,
        name: schedule.name,
        tickKey,
        timestamp: time,
      });
      // Null: another daemon claimed this tick; it runs it (or, if it dies, the stale-tick rule above does).
      if (tick) await this.runTick(location, schedule, tick);
    }
  }

  /** Evaluates a claimed tick and queues its runs; records the outcome on the tick. */
  private async runTick(
    location: LocationEntry,
    schedule: ScheduleSnapshot,
    tick: TickRecord,
  ): Promise<void> {
    const { storage, workspace, runRequests, log } = this.resources;
    const instigators = storage.instigators;
    try {
      const evaluation = await evaluateScheduleTick(
        workspace.client(location.name),
        schedule,
        tick.timestamp,
      );
      if (!evaluation.ok) {
        await instigators.finishTick(tick.tickId, { status: "FAILURE", error: evaluation.error });
        log("warning", `schedule ${schedule.name} tick ${tick.tickKey} failed: ${evaluation.error.message}`);
        return;
      }
      if (evaluation.runRequests.length === 0) {
        await instigators.finishTick(tick.tickId, {
          status: "SKIPPED",
          skipReason: evaluation.skipReason ?? "the schedule requested no run",
        });
        return;
      }
      const runIds: string[] = [];
      const runKeys: string[] = [];
      for (const [index, request] of evaluation.runRequests.entries()) {
        const { run } = await runRequests.requestFromInstigator({
          tick,
          jobName: schedule.jobName,
          request,
          index,
        });
        runIds.push(run.runId);
        if (request.runKey !== undefined) runKeys.push(request.runKey);
      }
      await instigators.finishTick(tick.tickId, { status: "SUCCESS", runIds, runKeys });
      log("info", `schedule ${schedule.name} tick ${tick.tickKey}: queued ${runIds.join(", ")}`);
    } catch (error) {
      await instigators.finishTick(tick.tickId, { status: "FAILURE", error: toSerializableFailure(error) });
      throw error;
    }
  }

  private cronFor(schedule: ScheduleSnapshot): Cron {
    const key = `${schedule.cron}\0${schedule.timezone}`;
    let cron = this.crons.get(key);
    if (!cron) {
      cron = cronOf(schedule.cron, schedule.timezone);
      this.crons.set(key, cron);
    }
    return cron;
  }
}
