import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EngineHarness, eventsOfType, startEngineHarness } from "./engine-harness.ts";

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness();
});
afterAll(() => h.close());

describe("resources and IO managers", () => {
  it("sets a resource up once with its run config and tears it down at the end", async () => {
    const log = path.join(h.home, "ledger.log");
    await rm(log, { force: true });
    const { status } = await h.launch({
      jobName: "ledger_job",
      runConfig: { resources: { ledger: { config: { label: "books" } } } },
    });
    expect(status).toBe("SUCCESS");
    expect(await readFile(log, "utf8")).toBe("setup books\nteardown books\n");
  });

  it("rejects a missing resource config naming the path", async () => {
    await expect(h.launch({ jobName: "ledger_job" })).rejects.toThrow(
      /resources\.ledger\.config(\.label)?: /,
    );
  });

  it("passes outputs between worker processes through PostgreSQL, keeping Dates and Sets", async () => {
    const { status, run, events } = await h.launch({ jobName: "postgres_io_job" });
    expect(status).toBe("SUCCESS");
    const pids = new Set(eventsOfType(events, "STEP_START").map((e) => e.data.pid));
    expect(pids.has(process.pid)).toBe(false);
    const stored = await h.db.storage.outputs.get(run.runId, "small_value", "result");
    expect(stored).not.toBeNull();
    const handled = eventsOfType(events, "HANDLED_OUTPUT").find((e) => e.stepKey === "small_value");
    expect(handled?.data.ioManager).toBe("pg_small");
    const { deserialize } = await import("node:v8");
    const readSmall = await readFile(path.join(h.home, "storage", "runs", run.runId, "read_small", "result"));
    expect(deserialize(readSmall)).toBe("1970-01-01T00:00:00.000Z a");
  });

  it("fails an output over the PostgreSQL IO manager's size limit with a clear error", async () => {
    const { status, events } = await h.launch({ jobName: "too_big_job" });
    expect(status).toBe("FAILURE");
    const failure = eventsOfType(events, "STEP_FAILURE")[0]!.data.failure;
    expect(failure.className).toBe("OutputTooLargeError");
    expect(failure.message).toMatch(
      /output "result" of step "big_value" is \d+ bytes, over the PostgreSQL IO manager's limit of 1024 bytes/,
    );
  });
});
