/**
 * `bosun dev` before it starts (a missing file, a busy port: one message, nothing started) and when it
 * stops (Ctrl-C cancels the runs in progress and waits for them).
 */
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  createTestStorage,
  FIXTURES,
  REPO_ROOT,
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

describe("bosun dev --watch (the default)", () => {
  it("reloads a location when its file is saved: a load error shows, and the fix brings it back", async () => {
    const project = await mkdtemp(path.join(tmpdir(), "bosun-watch-"));
    await symlink(path.join(REPO_ROOT, "node_modules"), path.join(project, "node_modules"));
    const file = path.join(project, "definitions.ts");
    const source = (jobName: string) =>
      `import { defineDefinitions, job, op } from "bosun";\n` +
      `const hello = op({ name: "hello", run: async () => 1 });\n` +
      `export default defineDefinitions({ jobs: [job({ name: ${JSON.stringify(jobName)}, build: () => { hello(); } })] });\n`;
    await writeFile(file, source("first_job"));
    const dev = startBosun(["dev", "-f", file, "--port", "0"], env);
    let output = "";
    let errors = "";
    dev.child.stderr!.on("data", (chunk: Buffer) => {
      errors += chunk.toString("utf8");
    });
    dev.child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    try {
      const url = await waitFor(
        "bosun dev to start",
        () => /Bosun is running: (http:\/\/\S+)/.exec(output)?.[1],
        90_000,
      );
      const location = async () =>
        (
          (await (await fetch(`${url}/api/locations`)).json()) as {
            locations: { name: string; status: string }[];
          }
        ).locations[0]!;
      await writeFile(file, `${source("second_job")}const broken = ;\n`);
      await waitFor(
        "the load error",
        async () => ((await location()).status === "ERROR" ? true : undefined),
        60_000,
      );
      // A person fixes the file after reading the error, not in the same millisecond.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await writeFile(file, source("second_job"));
      const fixed = await waitFor(
        "the fixed location",
        async () => {
          const entry = await location();
          if (entry.status !== "LOADED") return undefined;
          const jobs = (await (await fetch(`${url}/api/locations/${entry.name}/jobs`)).json()) as {
            jobs: { name: string }[];
          };
          return jobs.jobs.some((job) => job.name === "second_job") ? entry : undefined;
        },
        60_000,
      );
      expect(fixed.status).toBe("LOADED");
      expect(output).toContain("files changed, reloading");
    } catch (error) {
      throw new Error(`${(error as Error).message}\nbosun dev printed:\n${output}\n${errors.slice(-3000)}`);
    } finally {
      dev.child.kill("SIGINT");
      await dev.done;
      await rm(project, { recursive: true, force: true });
    }
  }, 240_000);
});
