import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { acquireEmbeddedPostgres, type EmbeddedPostgres } from "./embedded-postgres.ts";

const moduleUrl = new URL("./embedded-postgres.ts", import.meta.url).href;
const tsxLoader = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../node_modules/tsx/dist/loader.mjs",
);

describe("embedded PostgreSQL", () => {
  const directories: string[] = [];
  const held: EmbeddedPostgres[] = [];

  afterEach(async () => {
    for (const server of held.splice(0)) await server.release();
    for (const directory of directories.splice(0)) await fs.rm(directory, { recursive: true, force: true });
  });

  const scratch = async () => {
    const directory = await fs.mkdtemp(path.join(os.tmpdir(), "bosun-embedded-"));
    await fs.chmod(directory, 0o755);
    directories.push(directory);
    return path.join(directory, "postgres");
  };
  const acquire = async (directory: string) => {
    const server = await acquireEmbeddedPostgres({ directory, durability: "fast" });
    held.push(server);
    return server;
  };
  const release = async (server: EmbeddedPostgres) => {
    held.splice(held.indexOf(server), 1);
    await server.release();
  };

  it("initialises once and keeps the data across a stop and a restart", async () => {
    const directory = await scratch();
    const signalsBefore = ["SIGINT", "SIGTERM", "SIGHUP"].map((s) => process.listenerCount(s));
    const first = await acquire(directory);
    expect(first.action).toBe("initialised");
    // embedded-postgres's own exit and signal hooks are removed again.
    expect(["SIGINT", "SIGTERM", "SIGHUP"].map((s) => process.listenerCount(s))).toEqual(signalsBefore);
    await query(first.url, "CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)");
    await release(first);
    await expect(query(first.url, "SELECT 1")).rejects.toThrow();

    const second = await acquire(directory);
    expect(second.action).toBe("started");
    expect(second.port).toBe(first.port);
    expect((await query(second.url, "SELECT n FROM kept")).rows).toEqual([{ n: 42 }]);
  });

  it("lets another process join the running server and keeps it running when that process leaves", async () => {
    const directory = await scratch();
    const owner = await acquire(directory);
    const child = await runChild(directory, "release");
    expect(child).toMatchObject({ action: "reused", port: owner.port });
    expect((await query(owner.url, "SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    await release(owner);
    await expect(query(owner.url, "SELECT 1")).rejects.toThrow();
  });

  it("reuses a server whose starter died without releasing it, and stops it at the last release", async () => {
    const directory = await scratch();
    const crashed = await runChild(directory, "crash");
    expect(crashed.action).toBe("initialised");
    const next = await acquire(directory);
    expect(next.action).toBe("reused");
    expect(next.port).toBe(crashed.port);
    await release(next);
    await expect(query(next.url, "SELECT 1")).rejects.toThrow();
  });

  it("starts one server when two processes want it at the same time", async () => {
    const directory = await scratch();
    const results = await Promise.all([
      runChild(directory, "release-later"),
      runChild(directory, "release-later"),
    ]);
    expect(results.map((r) => r.action).sort()).toEqual(["initialised", "reused"]);
    expect(results[0]!.port).toBe(results[1]!.port);
    // The last one out stopped it.
    await expect(fs.access(path.join(directory, "data", "postmaster.pid"))).rejects.toThrow();
    const { password } = JSON.parse(await fs.readFile(path.join(directory, "credentials.json"), "utf8")) as {
      password: string;
    };
    await expect(
      query(`postgres://postgres:${password}@127.0.0.1:${results[0]!.port}/postgres`, "SELECT 1"),
    ).rejects.toThrow();
  });
});

async function query(url: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

/** A separate Node process acquiring the server; "crash" exits without releasing. */
function runChild(
  directory: string,
  mode: "release" | "release-later" | "crash",
): Promise<{ action: string; port: number }> {
  const script = `
    const { acquireEmbeddedPostgres } = await import(${JSON.stringify(moduleUrl)});
    const server = await acquireEmbeddedPostgres({ directory: ${JSON.stringify(directory)}, durability: "fast" });
    console.log(JSON.stringify({ action: server.action, port: server.port }));
    if (${JSON.stringify(mode)} === "crash") process.kill(process.pid, "SIGKILL");
    if (${JSON.stringify(mode)} === "release-later") await new Promise((r) => setTimeout(r, 500));
    await server.release();
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", tsxLoader, "--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (!line || (code !== 0 && signal !== "SIGKILL"))
        reject(new Error(`child failed (${code ?? signal}): ${err}`));
      else resolve(JSON.parse(line) as { action: string; port: number });
    });
  });
}
