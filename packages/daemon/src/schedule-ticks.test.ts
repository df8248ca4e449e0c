import { describe, expect, it } from "vitest";
import { cronOf, dueTicks, nextTick, scheduleTickKey } from "./schedule-ticks.ts";

const utc = (h: number, m: number, s = 0) => Date.UTC(2030, 0, 1, h, m, s);

describe("schedule ticks", () => {
  it("lists due ticks after the last one up to now, oldest first, including a tick exactly at now", () => {
    const cron = cronOf("*/10 * * * *", "UTC");
    expect(dueTicks(cron, utc(0, 0), utc(0, 30), 10)).toEqual({
      due: [utc(0, 10), utc(0, 20), utc(0, 30)],
      dropped: false,
    });
    expect(dueTicks(cron, utc(0, 30), utc(0, 39, 59), 10)).toEqual({ due: [], dropped: false });
  });

  it("keeps only the newest ticks when more are due than allowed", () => {
    const cron = cronOf("* * * * *", "UTC");
    expect(dueTicks(cron, utc(0, 0), utc(1, 0, 30), 2)).toEqual({
      due: [utc(0, 59), utc(1, 0)],
      dropped: true,
    });
  });

  it("reads the cron expression in the schedule's timezone, across a daylight-saving change", () => {
    const paris = cronOf("0 9 * * *", "Europe/Paris");
    expect(nextTick(paris, utc(0, 0))).toBe(utc(8, 0));
    // Summer time: 09:00 in Paris is 07:00 UTC.
    expect(nextTick(paris, Date.UTC(2030, 6, 1))).toBe(Date.UTC(2030, 6, 1, 7, 0));
    // 02:30 does not exist on the night clocks go forward; the tick still happens once that night.
    const night = cronOf("30 2 * * *", "Europe/Paris");
    const { due } = dueTicks(night, Date.UTC(2030, 2, 30, 12), Date.UTC(2030, 2, 31, 12), 5);
    expect(due).toHaveLength(1);
  });

  it("keys a tick by its scheduled time", () => {
    expect(scheduleTickKey(utc(1, 2, 3))).toBe("2030-01-01T01:02:03.000Z");
  });
});
