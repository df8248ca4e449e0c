import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startWorkspace, type WorkspaceManager } from "@bosun/code-server";
import type { RunStatus } from "@bosun/core";
import { executeRun, loadDefinitions } from "@bosun/engine";
import { BOSUN_COMMAND, createTestStorage, type TestStorage } from "@bosun/test-support";
import { type RunningWebserver, type StartWebserverOptions, startWebserver } from "../../src/index.ts";

export const MAIN_FIXTURE = fileURLToPath(new URL("../fixtures/webserver-location.ts", import.meta.url));
export const BROKEN_FIXTURE = fileURLToPath(new URL("../fixtures/broken-location.ts", import.meta.url));

/** Test responses are inspected freely, field by field. */
// biome-ignore lint/suspicious/noExplicitAny: the default lets tests read any field of a JSON body
type Json = any;

export interface ApiResponse<T = Json> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/**
 * A test database; the real workspace manager over a workspace.yaml with a good location ("main"), one
 * whose code fails to load ("broken") and one whose gRPC server is not there ("down"), each good or broken
 * one served by its own code server process; and webservers on them.
 */
export interface WebserverHarness {
  readonly db: TestStorage;
  readonly workspace: WorkspaceManager;
  readonly home: string;
  /** The default server (writable). */
  readonly server: RunningWebserver;
  /** Starts another server on the same storage and workspace (closed with the harness). */
  startAnother(options?: Partial<StartWebserverOptions>): Promise<RunningWebserver>;
  api<T = Json>(
    method: string,
    url: string,
    body?: unknown,
    server?: RunningWebserver,
  ): Promise<ApiResponse<T>>;
  /** Executes a stored run in this process with the real engine (as a run worker would). */
  execute(runId: string): Promise<RunStatus>;
  close(): Promise<void>;
}

export async function startWebserverHarness(
  options: Partial<StartWebserverOptions> = {},
): Promise<WebserverHarness> {
  const db = await createTestStorage();
  const home = await mkdtemp(path.join(tmpdir(), "bosun-webserver-test-"));
  const workspaceFile = path.join(home, "workspace.yaml");
  await writeFile(
    workspaceFile,
    [
      "load_from:",
      "  - typescript_file:",
      `      path: ${JSON.stringify(MAIN_FIXTURE)}`,
      "      location_name: main",
      "  - typescript_file:",
      `      path: ${JSON.stringify(BROKEN_FIXTURE)}`,
      "      location_name: broken",
      "  - grpc_server:",
      "      host: 127.0.0.1",
      `      port: ${await closedPort()}`,
      "      location_name: down",
      "",
    ].join("\n"),
  );
  const workspace = await startWorkspace(
    { workspaceFile },
    {
      bosunCommand: BOSUN_COMMAND,
      env: { BOSUN_DATABASE_URL: db.databaseUrl, BOSUN_HOME: home },
      log: () => {},
      callTimeouts: { ping: 2_000, snapshot: 5_000 },
    },
  );
  const servers: RunningWebserver[] = [];
  const startAnother = async (extra: Partial<StartWebserverOptions> = {}) => {
    const server = await startWebserver({
      storage: db.storage,
      workspace,
      port: 0,
      uiDirectory: null,
      sseHeartbeatMs: 200,
      logStreamStatusPollMs: 100,
      ...options,
      ...extra,
    });
    servers.push(server);
    return server;
  };
  const server = await startAnother();
  const definitions = await loadDefinitions({ file: MAIN_FIXTURE });
  return {
    db,
    workspace,
    home,
    server,
    startAnother,
    api: async (method, url, body, target = server) => {
      const response = await fetch(`${target.url}${url}`, {
        method,
        ...(body !== undefined
          ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } }
          : {}),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body: parsed as Json, headers: response.headers };
    },
    execute: (runId) =>
      executeRun({
        storage: db.storage,
        bosunHome: home,
        runId,
        origin: { file: MAIN_FIXTURE },
        definitions,
        childEnv: { BOSUN_DATABASE_URL: db.databaseUrl, BOSUN_HOME: home },
      }),
    close: async () => {
      await Promise.all(servers.map((s) => s.close()));
      await workspace.close();
      await db.drop();
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === "object" && address ? address.port : 1;
}
