import { Cron } from "croner";

/**
 * Tick times of a cron schedule read in its timezone (croner handles daylight-saving gaps and repeats).
 * A tick is identified by its scheduled time.
 */
export function cronOf(cron: string, timezone: string): Cron {
  return new Cron(cron, { timezone, paused: true });
}

export interface DueTicks {
  /** Scheduled times (ms) due in (after, now], newest `max` of them, oldest first. */
  readonly due: readonly number[];
  /** Whether older due ticks were left out because of `max`. */
  readonly dropped: boolean;
}

/** Ticks scheduled after `after` and at or before `now`, keeping the newest `max`. */
export function dueTicks(cron: Cron, after: number, now: number, max: number): DueTicks {
  // Asked from a second past `now` and then filtered, so a tick exactly at `now` is included whatever
  // croner does with a reference in the same second.
  const recent = cron
    .previousRuns(max + 2, new Date(now + 1000))
    .map((date) => date.getTime())
    .filter((time) => time <= now && time > after);
  return { due: recent.slice(0, max).reverse(), dropped: recent.length > max };
}

/** The first tick strictly after `now`, or null when the schedule never fires again. */
export function nextTick(cron: Cron, now: number): number | null {
  return cron.nextRun(new Date(now))?.getTime() ?? null;
}

/** The tick key of a scheduled time: its ISO text, unique per schedule. */
export function scheduleTickKey(time: number): string {
  return new Date(time).toISOString();
}
