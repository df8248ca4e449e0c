import { execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { BOSUN_COMMAND } from "@bosun/test-support";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { CodeLocationUnavailableError } from "../src/code-location/code-location-client.ts";
import type { LocationEntry } from "../src/workspace/workspace.ts";
import { WorkspaceConfigError } from "../src/workspace/workspace-config.ts";
import { startWorkspace, type WorkspaceManager } from "../src/workspace/workspace-manager.ts";
import { BROKEN_LOCATION, CODE_SERVER_LOCATION, startCodeServerProcess } from "./code-server-process.ts";

const REPO_NODE_MODULES = fileURLToPath(new URL("../../../node_modules", import.meta.url));
const POLL_MS = 150;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const temporary: string[] = [];
afterAll(async () => {
  for (const directory of temporary) await rm(directory, { recursive: true, force: true });
});

/** A temp directory whose code can `import "bosun"` (node_modules links to the repository's). */
async function projectDirectory(): Promise<string> {
  const directory = await mkdtemp(path.join(os.tmpdir(), "bosun-workspace-"));
  temporary.push(directory);
  await symlink(REPO_NODE_MODULES, path.join(directory, "node_modules"));
  return directory;
}

async function open(source: Parameters<typeof startWorkspace>[0]): Promise<WorkspaceManager> {
  const lines: string[] = [];
  const workspace = await startWorkspace(source, {
    bosunCommand: BOSUN_COMMAND,
    pollIntervalMs: POLL_MS,
    log: (line) => lines.push(line),
  });
  cleanups.push(() => workspace.close());
  return workspace;
}

async function waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Pids of running processes whose command line contains `needle`. */
async function processesMatching(needle: string): Promise<number[]> {
  const { stdout } = await promisify(execFile)("ps", ["-eo", "pid=,args="]);
  return stdout
    .split("\n")
    .filter((line) => line.includes(needle) && line.includes("api grpc"))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const definitionsSource = (description: string) => `
import { defineDefinitions, job, op } from "bosun";
const hello = op({ name: "hello", run: async () => "hi" });
export const helloJob = job({ name: "hello_job", description: ${JSON.stringify(description)}, build: () => { hello(); } });
export default defineDefinitions({ jobs: [helloJob] });
`;

describe("a workspace with a good and a broken location", () => {
  it("loads the good one and shows the broken one as ERROR with the user's message", async () => {
    const directory = await projectDirectory();
    const file = path.join(directory, "workspace.yaml");
    await writeFile(
      file,
      [
        "load_from:",
        "  - typescript_file:",
        `      path: ${CODE_SERVER_LOCATION}`,
        "      location_name: ws_good",
        "  - typescript_file:",
        `      path: ${BROKEN_LOCATION}`,
        "      location_name: ws_broken",
      ].join("\n"),
    );
    const workspace = await open({ workspaceFile: file });
    const good = workspace.get("ws_good")!;
    expect(good.status).toBe("LOADED");
    expect(good.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(good.snapshot!.jobs.map((j) => j.name)).toEqual(["etl_job"]);
    expect(good.snapshot!.origin).toEqual({ file: CODE_SERVER_LOCATION });
    expect(good.error).toBeNull();

    const broken = workspace.get("ws_broken")!;
    expect(broken.status).toBe("ERROR");
    expect(broken.snapshot).toBeNull();
    expect(broken.serverId).toMatch(/-load-error-/);
    expect(broken.error!.message).toContain("the warehouse credentials are missing: set WAREHOUSE_PASSWORD");

    // The good location's client talks to its server; the broken one's still answers (with the error).
    expect(await workspace.client("ws_good").evaluateSensor("new_files", "1", null)).toMatchObject({
      ok: true,
      cursor: "3",
    });
    expect(await workspace.client("ws_broken").executionPlan({ jobName: "etl_job" })).toMatchObject({
      ok: false,
      message: expect.stringContaining("the warehouse credentials are missing"),
    });
    expect(() => workspace.client("ws_god")).toThrow(
      'no code location named "ws_god"; did you mean "ws_good"? (locations: ws_good, ws_broken)',
    );
  });

  it("keeps a location whose code failed to load in ERROR between polls, never flipping it to LOADING", async () => {
    const workspace = await open({ file: BROKEN_LOCATION, locationName: "ws_steady_error" });
    expect(workspace.get("ws_steady_error")!.status).toBe("ERROR");
    const statuses: string[] = [];
    workspace.onChange((entry) => statuses.push(entry.status));
    // Several polls of the same server, serving the same load error.
    await new Promise((resolve) => setTimeout(resolve, POLL_MS * 8));
    expect(statuses).toEqual([]);
    expect(workspace.get("ws_steady_error")!.status).toBe("ERROR");
  });

  it("stops its code server processes on close, leaving none running", async () => {
    const workspace = await open({ file: CODE_SERVER_LOCATION, locationName: "ws_closing_location" });
    expect(workspace.get("ws_closing_location")!.status).toBe("LOADED");
    expect(await processesMatching("ws_closing_location")).toHaveLength(1);
    await workspace.close();
    expect(await processesMatching("ws_closing_location")).toEqual([]);
  });
});

describe("reloading a location", () => {
  it("restarts its server after the file was edited: a new server id and a new content hash", async () => {
    const directory = await projectDirectory();
    const file = path.join(directory, "hello.ts");
    await writeFile(file, definitionsSource("first version"));
    const workspace = await open({ file });
    const before = workspace.get("hello")!;
    expect(before.status).toBe("LOADED");
    expect(before.snapshot!.jobs[0]!.description).toBe("first version");

    const seen: LocationEntry[] = [];
    workspace.onChange((entry) => seen.push(entry));
    await writeFile(file, definitionsSource("second version"));
    const after = await workspace.reload("hello");
    expect(after.status).toBe("LOADED");
    expect(after.snapshot!.jobs[0]!.description).toBe("second version");
    expect(after.serverId).not.toBe(before.serverId);
    expect(after.snapshot!.contentHash).not.toBe(before.snapshot!.contentHash);
    expect(after.address).not.toBe("");
    expect(seen[0]).toMatchObject({
      status: "LOADING",
      snapshot: { contentHash: before.snapshot!.contentHash },
    });
    expect(seen.at(-1)).toMatchObject({ status: "LOADED", serverId: after.serverId });
  });

  it("brings a broken location back once its code is fixed", async () => {
    const directory = await projectDirectory();
    const file = path.join(directory, "fixable.ts");
    await writeFile(file, 'throw new Error("half-written file");\n');
    const workspace = await open({ file });
    expect(workspace.get("fixable")).toMatchObject({
      status: "ERROR",
      error: { message: expect.stringContaining("half-written file") },
    });
    await writeFile(file, definitionsSource("fixed"));
    expect(await workspace.reload("fixable")).toMatchObject({ status: "LOADED", error: null });
  });

  it("restarts a local server that died, at the next poll", async () => {
    const workspace = await open({ file: CODE_SERVER_LOCATION, locationName: "ws_dying" });
    const first = workspace.get("ws_dying")!;
    const statuses: string[] = [];
    workspace.onChange((entry) => statuses.push(entry.status));
    await workspace.client("ws_dying").shutdown();
    const back = await waitFor(() => {
      const entry = workspace.get("ws_dying")!;
      return entry.status === "LOADED" && entry.serverId !== first.serverId && entry;
    }, "the location to come back with a new server");
    expect(statuses[0]).toBe("ERROR");
    expect(back.snapshot!.contentHash).toBe(first.snapshot!.contentHash);
    expect(await processesMatching("ws_dying")).toHaveLength(1);
  });
});

describe("grpc_server locations", () => {
  it("shows a server that is down as ERROR naming its address, while the other location keeps working", async () => {
    const server = await startCodeServerProcess(["-f", CODE_SERVER_LOCATION, "--location-name", "remote"]);
    cleanups.push(() => server.stop());
    const deadPort = await freePort();
    const [host, port] = server.address.split(":");
    const directory = await projectDirectory();
    const file = path.join(directory, "workspace.yaml");
    await writeFile(
      file,
      [
        "load_from:",
        `  - grpc_server: {host: "${host}", port: ${port}, location_name: remote}`,
        `  - grpc_server: {host: 127.0.0.1, port: ${deadPort}, location_name: nowhere}`,
      ].join("\n"),
    );
    const workspace = await open({ workspaceFile: file });
    expect(workspace.get("remote")).toMatchObject({ status: "LOADED", address: server.address });
    expect(workspace.get("nowhere")).toMatchObject({
      status: "ERROR",
      address: `127.0.0.1:${deadPort}`,
      snapshot: null,
      error: {
        className: "CodeLocationUnavailableError",
        message: `code location "nowhere" at 127.0.0.1:${deadPort} is unreachable`,
        cause: { message: expect.stringContaining("ECONNREFUSED") },
      },
    });
    await expect(workspace.client("nowhere").ping()).rejects.toBeInstanceOf(CodeLocationUnavailableError);

    // The remote server goes away: its location turns ERROR at the next poll.
    await server.stop();
    await waitFor(() => workspace.get("remote")!.status === "ERROR", "the remote location to show ERROR");
    expect(workspace.get("remote")!.error!.message).toBe(
      `code location "remote" at ${server.address} is unreachable`,
    );

    // A new server on the same port: a new server id, so the snapshot is fetched again.
    const replacement = await startCodeServerProcess([
      "-f",
      CODE_SERVER_LOCATION,
      "--host",
      host!,
      "--port",
      port!,
    ]);
    cleanups.push(() => replacement.stop());
    const back = await waitFor(
      () => workspace.get("remote")!.status === "LOADED" && workspace.get("remote")!,
      "the remote location to load again",
    );
    expect(back.snapshot!.jobs.map((j) => j.name)).toEqual(["etl_job"]);
    expect(workspace.get("nowhere")!.status).toBe("ERROR");
  });
});

describe("startWorkspace", () => {
  it("rejects a malformed workspace file with an error naming the file and the field", async () => {
    const directory = await projectDirectory();
    const file = path.join(directory, "workspace.yaml");
    await writeFile(file, "load_from:\n  - typescript_file: {pth: defs.ts}\n");
    await expect(startWorkspace({ workspaceFile: file }, { bosunCommand: BOSUN_COMMAND })).rejects.toThrow(
      WorkspaceConfigError,
    );
    await expect(startWorkspace({ workspaceFile: file }, { bosunCommand: BOSUN_COMMAND })).rejects.toThrow(
      `workspace file ${file}: load_from[0].typescript_file.pth: unknown key; did you mean "path"? (expected one of path, location_name, working_directory)`,
    );
  });

  it("runs each local server in its location's working directory", async () => {
    const directory = await projectDirectory();
    await mkdir(path.join(directory, "run"));
    await writeFile(
      path.join(directory, "cwd.ts"),
      `import { defineDefinitions, job, op } from "bosun";
const noop = op({ name: "noop", run: async () => 1 });
export default defineDefinitions({ jobs: [job({ name: "noop_job", description: process.cwd(), build: () => { noop(); } })] });
`,
    );
    const file = path.join(directory, "workspace.yaml");
    await writeFile(file, "load_from:\n  - typescript_file: {path: cwd.ts, working_directory: run}\n");
    const workspace = await open({ workspaceFile: file });
    expect(workspace.get("cwd")!.snapshot!.jobs[0]!.description).toBe(path.join(directory, "run"));
  });
});

describe("a process that started a workspace and is killed", () => {
  it("does not leave its code servers running: they stop when their stdin closes", async () => {
    const host = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        fileURLToPath(new URL("./workspace-host.ts", import.meta.url)),
        CODE_SERVER_LOCATION,
        "ws_orphan",
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    cleanups.push(async () => {
      host.kill("SIGKILL");
      for (const pid of await processesMatching("ws_orphan")) process.kill(pid, "SIGKILL");
    });
    const statuses = await new Promise<string>((resolve) =>
      createInterface({ input: host.stdout! }).once("line", resolve),
    );
    expect(JSON.parse(statuses)).toEqual(["LOADED"]);
    expect(await processesMatching("ws_orphan")).toHaveLength(1);
    host.kill("SIGKILL");
    const deadline = Date.now() + 10_000;
    while ((await processesMatching("ws_orphan")).length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await processesMatching("ws_orphan")).toEqual([]);
  });
});
