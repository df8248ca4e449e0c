import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type CliResult, createTestStorage, startBosun, type TestStorage } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSse } from "./sse-client.ts";

const EXAMPLE = fileURLToPath(new URL("../../../../examples/quickstart/definitions.ts", import.meta.url));

let db: TestStorage;
let home: string;
let dev: ReturnType<typeof startBosun>;
let url: string;

beforeAll(async () => {
  db = await createTestStorage();
  home = await mkdtemp(path.join(tmpdir(), "bosun-dev-"));
  dev = startBosun(["dev", "-f", EXAMPLE, "--port", "0"], {
    BOSUN_HOME: home,
    BOSUN_DATABASE_URL: db.databaseUrl,
  });
  url = await new Promise<string>((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`bosun dev did not start:\n${seen}`)), 60_000);
    dev.child.stdout!.on("data", (chunk: Buffer) => {
      seen += chunk.toString("utf8");
      const match = /Bosun is running: (http:\/\/\S+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    dev.child.once("exit", (code) => reject(new Error(`bosun dev exited with ${code}:\n${seen}`)));
  });
}, 90_000);

afterAll(async () => {
  if (dev.child.exitCode === null) dev.child.kill("SIGKILL");
  await db.drop();
  await rm(home, { recursive: true, force: true });
});

describe("bosun dev", () => {
  it("serves the example location from its own code server process", async () => {
    const body = (await (await fetch(`${url}/api/locations`)).json()) as {
      locations: { name: string; status: string }[];
    };
    expect(body.locations).toEqual([expect.objectContaining({ name: "quickstart", status: "LOADED" })]);
  });

  it("runs a job launched through the API to SUCCESS and streams every event in order", async () => {
    const response = await fetch(`${url}/api/runs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ location: "quickstart", job: "numbers_job" }),
    });
    expect(response.status).toBe(201);
    const { run } = (await response.json()) as { run: { runId: string; status: string } };
    expect(run.status).toBe("QUEUED");

    const messages = await readSse(`${url}/api/runs/${run.runId}/events/stream`, {
      timeoutMs: 60_000,
      stopOn: "end",
    });
    const streamed = messages
      .filter((m) => m.event === "message")
      .map((m) => JSON.parse(m.data) as { seq: number; type: string });
    const stored = await db.storage.events.getEvents(run.runId);
    expect(streamed.map((e) => e.seq)).toEqual(stored.map((e) => e.seq));
    expect(streamed.map((e) => e.type)).toEqual(stored.map((e) => e.type));
    expect(streamed[0]!.type).toBe("RUN_ENQUEUED");
    expect(streamed.at(-1)!.type).toBe("RUN_SUCCESS");
    expect(streamed.map((e) => e.type)).toContain("STEP_RETRY");
    expect((await db.storage.runs.getRun(run.runId))?.status).toBe("SUCCESS");
  });

  it("keeps a run going when its location's code server dies mid-run, and restarts the server", async () => {
    const response = await fetch(`${url}/api/runs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ location: "quickstart", job: "numbers_job" }),
    });
    const { run } = (await response.json()) as { run: { runId: string } };
    await waitFor(
      async () => (await db.storage.events.getEvents(run.runId, { types: ["RUN_START"] })).length > 0,
    );
    const server = codeServerPids(dev.child.pid!);
    expect(server).toHaveLength(1);
    process.kill(server[0]!, "SIGKILL");
    await waitFor(async () => (await db.storage.runs.getRun(run.runId))?.status === "SUCCESS");
    // The workspace notices the dead server and starts a new one.
    await waitFor(async () => {
      const body = (await (await fetch(`${url}/api/locations`)).json()) as {
        locations: { status: string }[];
      };
      const replaced = codeServerPids(dev.child.pid!);
      return body.locations[0]?.status === "LOADED" && replaced.length === 1 && replaced[0] !== server[0];
    }, 30_000);
  });

  it("stops everything on one SIGINT", async () => {
    const before = Date.now();
    dev.child.kill("SIGINT");
    const result: CliResult = await dev.done;
    expect(result.code).toBe(0);
    expect(Date.now() - before).toBeLessThan(20_000);
    expect(result.stdout).toContain("Stopping...");
  });
});

/** Code server processes (`bosun api grpc`) started by the `bosun dev` process. */
function codeServerPids(parent: number): number[] {
  const listing = execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(parent)], { encoding: "utf8" });
  return listing
    .split("\n")
    .filter((line) => line.includes(" api grpc "))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
