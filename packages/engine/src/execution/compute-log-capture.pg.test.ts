import { randomUUID } from "node:crypto";
import { DEFAULT_COMPUTE_LOG_SETTINGS } from "@bosun/instance";
import { createTestStorage, type TestStorage } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ComputeLogRecorder, truncationMarker } from "./compute-log-capture.ts";

let db: TestStorage;
beforeAll(async () => {
  db = await createTestStorage();
});
afterAll(() => db.drop());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function newRun(): Promise<string> {
  const runId = randomUUID();
  await db.storage.runs.createRun({ runId, jobName: "logs_job", status: "STARTED" });
  return runId;
}

function recorder(runId: string, settings: Partial<typeof DEFAULT_COMPUTE_LOG_SETTINGS>) {
  return ComputeLogRecorder.open(db.storage.computeLogs, runId, "step", {
    ...DEFAULT_COMPUTE_LOG_SETTINGS,
    ...settings,
  });
}

const stored = async (runId: string, stream: "stdout" | "stderr" = "stdout") =>
  (await db.storage.computeLogs.read(runId, "step", stream)).data;

const count = (text: string, part: string) => text.split(part).length - 1;

describe("compute log recorder", () => {
  it("keeps output up to max_bytes_per_step and then stores the truncation marker exactly once", async () => {
    const runId = await newRun();
    const logs = await recorder(runId, { maxBytesPerStep: 1024 });
    const lines = Array.from(
      { length: 200 },
      (_, i) => `line ${String(i).padStart(3, "0")} ${"x".repeat(20)}\n`,
    );
    for (const line of lines) logs.write("stdout", line);
    logs.write("stderr", "a small warning\n");
    await logs.flush();
    // Later writes, after a flush, are dropped too, and never add a second marker.
    logs.write("stdout", "after the limit\n");
    await logs.flush();

    const out = await stored(runId);
    const size = await db.storage.computeLogs.size(runId, "step", "stdout");
    expect(size).toBe(Buffer.byteLength(out));
    expect(size).toBeLessThanOrEqual(1024);
    expect(count(out, "[bosun: output truncated after ")).toBe(1);
    const markerAt = out.indexOf("[bosun:");
    const kept = out.slice(0, markerAt);
    expect(out.slice(markerAt)).toBe(truncationMarker(Buffer.byteLength(kept)));
    expect(lines.join("").startsWith(kept)).toBe(true);
    expect(Buffer.byteLength(kept)).toBeGreaterThan(900);
    expect(out).not.toContain("after the limit");
    expect(await stored(runId, "stderr")).toBe("a small warning\n");
  });

  it("counts what earlier attempts of the step stored against the same limit", async () => {
    const runId = await newRun();
    const first = await recorder(runId, { maxBytesPerStep: 1024 });
    first.write("stdout", `${"a".repeat(700)}\n`);
    await first.flush();
    const second = await recorder(runId, { maxBytesPerStep: 1024 });
    second.write("stdout", `${"b".repeat(700)}\n`);
    await second.flush();
    const third = await recorder(runId, { maxBytesPerStep: 1024 });
    third.write("stdout", `${"c".repeat(700)}\n`);
    await third.flush();

    const out = await stored(runId);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(1024);
    expect(count(out, "[bosun: output truncated after ")).toBe(1);
    expect(out.startsWith(`${"a".repeat(700)}\n${"b".repeat(200)}`)).toBe(true);
    expect(out).not.toContain("ccc");
  });

  it("never splits a multi-byte character at the limit and starts the marker on its own line", async () => {
    const runId = await newRun();
    const logs = await recorder(runId, { maxBytesPerStep: 1024 });
    logs.write("stdout", "é".repeat(1000));
    await logs.flush();
    const out = await stored(runId);
    expect(out).not.toContain("\uFFFD");
    expect(out).toMatch(/^é+\n\[bosun: output truncated after \d+ bytes\]\n$/);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(1024);
  });

  it("stores everything without a limit", async () => {
    const runId = await newRun();
    const logs = await recorder(runId, { maxBytesPerStep: null });
    const big = `${"z".repeat(64 * 1024)}\n`;
    logs.write("stdout", big);
    await logs.flush();
    expect(await stored(runId)).toBe(big);
  });

  it("appends captured output once per flush interval, not before", async () => {
    const runId = await newRun();
    const logs = await recorder(runId, { flushIntervalMs: 2000 });
    const written = performance.now();
    logs.write("stdout", "first chunk\n");
    await sleep(300);
    expect(await stored(runId)).toBe("");
    // The timer stores it without a flush: some time after 2 s (a slow machine only makes it later).
    let appearedAfter = 0;
    for (;;) {
      if ((await stored(runId)) === "first chunk\n") {
        appearedAfter = performance.now() - written;
        break;
      }
      if (performance.now() - written > 15_000) throw new Error("the chunk was never stored");
      await sleep(50);
    }
    expect(appearedAfter).toBeGreaterThanOrEqual(1900);
    // flush() stores what is pending at once, whatever the interval.
    logs.write("stdout", "second chunk\n");
    await logs.flush();
    expect(await stored(runId)).toBe("first chunk\nsecond chunk\n");
  });
});
