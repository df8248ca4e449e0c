/**
 * `bosun dev` before it starts (a missing file, a busy port: one message, nothing started) and when it
 * stops (Ctrl-C cancels the runs in progress and waits for them).
 */
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  createTestStorage,
  FIXTURES,
  runBosun,
  startBosun,
  type TestStorage,
  waitFor,
} from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let db: TestStorage;
let home: string;
let env: Record<string, string>;

beforeAll(async () => {
  db = await createTestStorage();
  home = await mkdtemp(path.join(tmpdir(), "bosun-dev-"));
  env = { BOSUN_HOME: home, BOSUN_DATABASE_URL: db.databaseUrl };
});
afterAll(async () => {
  await db.drop();
  await rm(home, { recursive: true, force: true });
});

describe("bosun dev before it starts", () => {
  it("exits 2 with one message when the code location file does not exist, starting nothing", async () => {
    const result = await runBosun(["dev", "-f", "no/such/definitions.ts", "--port", "0"], env);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe("error: code location file no/such/definitions.ts does not exist");
    expect(result.stdout).toBe("");
  });

  it("exits 2 naming the port when it is in use, starting nothing", async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      const result = await runBosun(["dev", "-f", FIXTURES.engine, "--port", String(port)], env);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(result.stdout).toBe("");
    } finally {
      busy.close();
    }
  });
});

describe("bosun dev stopped with Ctrl-C", () => {
  it("cancels the run in progress, says so, and waits for it to end CANCELED", async () => {
    const dev = startBosun(["dev", "-f", FIXTURES.engine, "--port", "0"], env);
    let output = "";
    dev.child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    const url = await waitFor(
      "bosun dev to start",
      () => /Bosun is running: (http:\/\/\S+)/.exec(output)?.[1],
      90_000,
    );
    const response = await fetch(`${url}/api/runs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ location: "engine-location", job: "sleepy_job" }),
    });
    expect(response.status).toBe(201);
    const { run } = (await response.json()) as { run: { runId: string } };
    await waitFor(
      "the run to start",
      async () => ((await db.storage.runs.getRun(run.runId))?.status === "STARTED" ? true : undefined),
      60_000,
    );

    dev.child.kill("SIGINT");
    const result = await dev.done;
    expect(result.code).toBe(0);
    expect(output).toContain("Canceling 1 run...");
    expect(output.indexOf("Canceling 1 run...")).toBeLessThan(output.indexOf("Stopping..."));
    expect((await db.storage.runs.getRun(run.runId))?.status).toBe("CANCELED");
  }, 180_000);
});
