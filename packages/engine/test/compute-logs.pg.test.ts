import { type ComputeLogSettings, DEFAULT_COMPUTE_LOG_SETTINGS } from "@bosun/instance";
import { FIXTURES } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EngineHarness, startEngineHarness } from "./engine-harness.ts";

const FIXTURE = FIXTURES.computeLogs;
const MARKER = "[bosun: output truncated after ";

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness(FIXTURE);
});
afterAll(() => h.close());

async function execute(jobName: string, computeLogs: Partial<ComputeLogSettings>, config = {}) {
  const { run, status, events } = await h.launch(
    { jobName, runConfig: { ops: { chatter: { config } } } },
    undefined,
    { ...DEFAULT_COMPUTE_LOG_SETTINGS, ...computeLogs },
  );
  return { runId: run.runId, status, events };
}

describe("compute_logs settings in runs", () => {
  for (const jobName of ["chatter_in_process", "chatter_multiprocess"]) {
    it(`${jobName}: stores no compute logs when disabled, and the run still succeeds`, async () => {
      const { runId, status, events } = await execute(jobName, { enabled: false }, { lines: 2 });
      expect(status).toBe("SUCCESS");
      expect(await h.db.storage.computeLogs.stepKeysWithLogs(runId)).toEqual([]);
      expect(await h.db.storage.computeLogs.size(runId, "chatter", "stdout")).toBe(0);
      expect(events.filter((e) => e.type === "LOGS_CAPTURED")).toEqual([]);
    });

    it(`${jobName}: truncates a stream at max_bytes_per_step with one marker`, async () => {
      const { runId, status, events } = await execute(jobName, { maxBytesPerStep: 2048 }, { lines: 200 });
      expect(status).toBe("SUCCESS");
      const out = (await h.db.storage.computeLogs.read(runId, "chatter", "stdout")).data;
      expect(Buffer.byteLength(out)).toBeLessThanOrEqual(2048);
      expect(out.split(MARKER)).toHaveLength(2);
      expect(out).toMatch(/^attempt 1 line 0000 x+\n/);
      expect(out).toMatch(/\[bosun: output truncated after \d+ bytes\]\n$/);
      expect((await h.db.storage.computeLogs.read(runId, "chatter", "stderr")).data).toBe(
        "attempt 1 done printing\n",
      );
      expect(events.filter((e) => e.type === "LOGS_CAPTURED")).toHaveLength(1);
    });
  }

  it("counts every retry of a step against one limit per stream", async () => {
    const { runId, status, events } = await execute(
      "chatter_multiprocess",
      { maxBytesPerStep: 4096 },
      { lines: 50, failing_attempts: 2 },
    );
    expect(status).toBe("SUCCESS");
    expect(events.filter((e) => e.type === "STEP_RETRY")).toHaveLength(2);
    const out = (await h.db.storage.computeLogs.read(runId, "chatter", "stdout")).data;
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(4096);
    expect(out.split(MARKER)).toHaveLength(2);
    // 50 lines of one attempt are about 2.5 KB: the first fits, the second is cut, the third is dropped.
    expect(out).toContain("attempt 2 line 0000");
    expect(out).not.toContain("attempt 3 line");
    const err = (await h.db.storage.computeLogs.read(runId, "chatter", "stderr")).data;
    expect(err).toBe("attempt 1 done printing\nattempt 2 done printing\nattempt 3 done printing\n");
  });
});
