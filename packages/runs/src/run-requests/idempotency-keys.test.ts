import { describe, expect, it } from "vitest";
import { type InstigatorTick, instigatorIdempotencyKey } from "./idempotency-keys.ts";

const schedule: InstigatorTick = {
  kind: "schedule",
  location: "main",
  name: "nightly",
  tickId: "tick-1",
  tickKey: "2026-01-01T02:00:00.000Z",
};
const sensor: InstigatorTick = { ...schedule, kind: "sensor", name: "files", tickKey: "eval-1" };

describe("instigatorIdempotencyKey", () => {
  it("keys a schedule's requests by tick and run key (or position), so a retried tick repeats its keys", () => {
    expect(instigatorIdempotencyKey(schedule, "k", 0)).toBe(
      "schedule/main/nightly/2026-01-01T02:00:00.000Z/k",
    );
    expect(instigatorIdempotencyKey(schedule, undefined, 1)).toBe(
      "schedule/main/nightly/2026-01-01T02:00:00.000Z/#1",
    );
  });

  it("keys a sensor's request with a run key by that key alone, across ticks", () => {
    expect(instigatorIdempotencyKey(sensor, "file-a", 0)).toBe("sensor/main/files/key/file-a");
    expect(instigatorIdempotencyKey({ ...sensor, tickId: "tick-2" }, "file-a", 3)).toBe(
      "sensor/main/files/key/file-a",
    );
    expect(instigatorIdempotencyKey(sensor, undefined, 2)).toBe("sensor/main/files/tick/tick-1/#2");
  });
});
