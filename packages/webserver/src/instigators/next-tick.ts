import type { ScheduleSnapshot } from "@bosun/code-server";
import { Cron } from "croner";

/** The schedule's first tick strictly after `after`, read in its timezone; null when it never fires again. */
export function nextScheduleTick(
  schedule: Pick<ScheduleSnapshot, "cron" | "timezone">,
  after: Date,
): Date | null {
  try {
    return new Cron(schedule.cron, { timezone: schedule.timezone, paused: true }).nextRun(after);
  } catch {
    // The code server validated the expression; a snapshot from a newer cron dialect must not break the list.
    return null;
  }
}
