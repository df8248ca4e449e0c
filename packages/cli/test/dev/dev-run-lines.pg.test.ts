/**
 * `bosun dev` prints one line per run start and end (with the failing step), each with the run's URL;
 * `--quiet` prints none; a closed standard output does not stop it.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTestStorage, FIXTURES, startBosun, type TestStorage, waitFor } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let db: TestStorage;
let home: string;
let env: Record<string, string>;

beforeAll(async () => {
  db = await createTestStorage();
  home = await mkdtemp(path.join(tmpdir(), "bosun-dev-lines-"));
  env = { BOSUN_HOME: home, BOSUN_DATABASE_URL: db.databaseUrl };
});
afterAll(async () => {
  await db.drop();
  await rm(home, { recursive: true, force: true });
});

/** `bosun dev` on the engine fixture, its stdout collected, and a way to launch runs through its API. */
async function startDev(extraArgs: readonly string[] = []) {
  const dev = startBosun(["dev", "-f", FIXTURES.engine, "--port", "0", ...extraArgs], env);
  let output = "";
  dev.child.stdout!.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const url = await waitFor(
    "bosun dev to start",
    () => /Bosun is running: (http:\/\/\S+)/.exec(output)?.[1],
    90_000,
  );
  const post = async (pathname: string, body: unknown) => {
    const response = await fetch(`${url}${pathname}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { run: { runId: string } }).run.runId;
  };
  const launch = (job: string) => post("/api/runs", { location: "engine-location", job });
  const ended = (runId: string) =>
    waitFor(
      `run ${runId} to end`,
      async () => {
        const status = (await db.storage.runs.getRun(runId))?.status;
        return status === "SUCCESS" || status === "FAILURE" ? status : undefined;
      },
      90_000,
    );
  return { dev, url, launch, post, ended, output: () => output };
}

const DURATION = String.raw`in \d+\.\ds`;
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("bosun dev's run lines", () => {
  it("print each run's start and end with its URL, and the step that failed with its error", async () => {
    const { dev, url, launch, post, ended, output } = await startDev();
    try {
      const succeeded = await launch("fan_job");
      const failed = await launch("failing_job");
      expect(await ended(succeeded)).toBe("SUCCESS");
      expect(await ended(failed)).toBe("FAILURE");
      const retried = await post(`/api/runs/${failed}/reexecute`, { mode: "all" });
      await ended(retried);

      const line = (runId: string, job: string, what: string) =>
        new RegExp(`^run ${runId.slice(0, 8)} ${job} ${what} ${literal(`${url}/runs/${runId}`)}$`, "m");
      const lines = await waitFor(
        "the end line of the re-execution",
        () => (line(retried, "failing_job", `FAILURE ${DURATION}: .*`).test(output()) ? output() : undefined),
        30_000,
      );
      expect(lines).toMatch(line(succeeded, "fan_job", literal("started (launched by a user)")));
      expect(lines).toMatch(line(succeeded, "fan_job", `SUCCESS ${DURATION}`));
      expect(lines).toMatch(line(failed, "failing_job", literal("started (launched by a user)")));
      expect(lines).toMatch(
        line(failed, "failing_job", `FAILURE ${DURATION}: step explode failed: could not write the report`),
      );
      expect(lines).toMatch(
        line(retried, "failing_job", literal(`started (launched by re-execution of ${failed.slice(0, 8)})`)),
      );
      // One line each: a start and an end per run, nothing printed twice.
      expect(lines.match(new RegExp(`^run ${succeeded.slice(0, 8)} `, "gm"))).toHaveLength(2);
    } finally {
      dev.child.kill("SIGINT");
      await dev.done;
    }
  }, 240_000);

  it("are not printed with --quiet", async () => {
    const { dev, launch, ended, output } = await startDev(["--quiet"]);
    try {
      const runId = await launch("fan_job");
      expect(await ended(runId)).toBe("SUCCESS");
      // The end line would be written right after the run ended: give it the time it takes.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(output()).toContain("Bosun is running");
      expect(output()).not.toContain(runId.slice(0, 8));
    } finally {
      dev.child.kill("SIGINT");
      await dev.done;
    }
  }, 240_000);

  it("do not stop bosun dev when its standard output is closed", async () => {
    const { dev, url, launch, ended } = await startDev();
    let errors = "";
    dev.child.stderr!.on("data", (chunk: Buffer) => {
      errors += chunk.toString("utf8");
    });
    // The reader goes away (`bosun dev | head -1`): the next line written fails with EPIPE.
    dev.child.stdout!.destroy();
    const runId = await launch("fan_job");
    expect(await ended(runId)).toBe("SUCCESS");
    const second = await launch("fan_job");
    expect(await ended(second)).toBe("SUCCESS");
    expect(dev.child.exitCode).toBeNull();
    expect((await fetch(`${url}/api/locations`)).status).toBe(200);

    dev.child.kill("SIGINT");
    const result = await dev.done;
    expect(result.code).toBe(0);
    expect(errors).not.toContain("EPIPE");
  }, 240_000);
});
