/**
 * What the UI's browser tests run against: `bosun dev` as a process (code servers, webserver serving the
 * built UI, daemon launching each run as a `bosun api execute-run` process) on a real test database, over
 * the quickstart example, a fixture location with a failing job, and a location whose code fails to load.
 * Plus headless Chromium (Debian's) through playwright-core, with a fresh profile (see browser.ts).
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTestStorage, ensureUiBuilt, REPO_ROOT, type TestStorage } from "@bosun/test-support";

export { type Browser, openBrowser } from "@bosun/test-support";

export const QUICKSTART = path.join(REPO_ROOT, "examples/quickstart/definitions.ts");
export const FIXTURE_LOCATION = fileURLToPath(new URL("./fixtures/ui-location.ts", import.meta.url));
export const BROKEN_LOCATION = fileURLToPath(new URL("./fixtures/broken-location.ts", import.meta.url));
export const K8S_TYPO_LOCATION = fileURLToPath(new URL("./fixtures/k8s-typo-location.ts", import.meta.url));

// ---- Bosun ----

/** A Bosun process serving the UI (`bosun dev` or `bosun webserver`). */
export interface ServerProcess {
  readonly url: string;
  /** SIGTERM, then SIGKILL after 15 s; resolves once it has exited. Idempotent. */
  close(): Promise<void>;
}

export interface UiHarness {
  /** The UI and API of `bosun dev`. */
  readonly url: string;
  readonly db: TestStorage;
  readonly home: string;
  /** JSON API call against `bosun dev`'s webserver. */
  api<T = unknown>(
    method: "GET" | "POST",
    pathname: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  /** Waits until the run has one of the statuses (polling the API). */
  waitForRunStatus(runId: string, statuses: readonly string[], timeoutMs?: number): Promise<string>;
  /**
   * Starts `bosun webserver` as another process on the same database, reaching the code servers `bosun dev`
   * started (read-only, or on a given port). Closed with the harness if not before.
   */
  startWebserver(options: { readOnly: boolean; port?: number }): Promise<ServerProcess>;
  close(): Promise<void>;
}

/**
 * `bosun dev -w workspace.yaml --port 0` as a process, with a private BOSUN_HOME and this test file's own
 * database (BOSUN_DATABASE_URL), over four locations: the quickstart example ("quickstart"), the fixture
 * location ("ui_fixtures"), one whose code fails to load ("warehouse_sync") and one whose op misspells a
 * `bosun-k8s/config` key ("compaction").
 */
export async function startUiHarness(): Promise<UiHarness> {
  await ensureUiBuilt();
  const db = await createTestStorage();
  const home = await mkdtemp(path.join(tmpdir(), "bosun-ui-test-"));
  const cleanups: (() => Promise<unknown>)[] = [
    () => rm(home, { recursive: true, force: true }),
    () => db.drop(),
  ];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    cleanups.length = 0;
  };
  try {
    const workspaceFile = path.join(home, "workspace.yaml");
    await writeFile(
      workspaceFile,
      [
        "load_from:",
        "  - typescript_file:",
        `      path: ${JSON.stringify(QUICKSTART)}`,
        "      location_name: quickstart",
        "  - typescript_file:",
        `      path: ${JSON.stringify(FIXTURE_LOCATION)}`,
        "      location_name: ui_fixtures",
        "  - typescript_file:",
        `      path: ${JSON.stringify(BROKEN_LOCATION)}`,
        "      location_name: warehouse_sync",
        "  - typescript_file:",
        `      path: ${JSON.stringify(K8S_TYPO_LOCATION)}`,
        "      location_name: compaction",
        "",
      ].join("\n"),
    );
    // Sensors are looked at every second, so a test sees a sensor's ticks soon after turning it on.
    await writeFile(path.join(home, "bosun.yaml"), "sensors:\n  interval_seconds: 1\n");
    const env = { BOSUN_DATABASE_URL: db.databaseUrl, BOSUN_HOME: home };
    const dev = await startServerProcess(
      ["dev", "-w", workspaceFile, "--port", "0"],
      env,
      /Bosun is running: (\S+)/,
    );
    cleanups.push(() => dev.close());

    const api: UiHarness["api"] = async (method, pathname, body) => {
      const response = await fetch(`${dev.url}${pathname}`, {
        method,
        ...(body !== undefined
          ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } }
          : {}),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : null) as never };
    };

    // Other webservers reach the code servers `bosun dev` started, through a workspace of gRPC addresses.
    let grpcWorkspace: string | null = null;
    const startWebserver: UiHarness["startWebserver"] = async (options) => {
      if (!grpcWorkspace) {
        const { body } = await api<{ locations: { name: string; address: string }[] }>(
          "GET",
          "/api/locations",
        );
        grpcWorkspace = path.join(home, "grpc-workspace.yaml");
        const lines = ["load_from:"];
        for (const location of body.locations) {
          const at = location.address.lastIndexOf(":");
          lines.push(
            "  - grpc_server:",
            `      host: ${JSON.stringify(location.address.slice(0, at))}`,
            `      port: ${location.address.slice(at + 1)}`,
            `      location_name: ${location.name}`,
          );
        }
        await writeFile(grpcWorkspace, `${lines.join("\n")}\n`);
      }
      const args = ["webserver", "-w", grpcWorkspace, "--port", String(options.port ?? 0)];
      if (options.readOnly) args.push("--read-only");
      const server = await startServerProcess(args, env, /listening on (\S+)/);
      cleanups.push(() => server.close());
      return server;
    };

    return {
      url: dev.url,
      db,
      home,
      api,
      startWebserver,
      waitForRunStatus: async (runId, statuses, timeoutMs = 60_000) => {
        const deadline = Date.now() + timeoutMs;
        let last = "";
        while (Date.now() < deadline) {
          const { body } = await api<{ run: { status: string } }>("GET", `/api/runs/${runId}`);
          last = body.run.status;
          if (statuses.includes(last)) return last;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        throw new Error(
          `run ${runId} is still ${last} after ${timeoutMs} ms (waited for ${statuses.join("/")})`,
        );
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

const BOSUN_BIN = path.join(REPO_ROOT, "packages/cli/bin/bosun.js");

/** Starts `bosun <args>` and waits for the line that names its URL; its output is in the error if it does not come. */
async function startServerProcess(
  args: readonly string[],
  env: Record<string, string>,
  urlLine: RegExp,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [BOSUN_BIN, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const verbose = Boolean(process.env.BOSUN_UI_TEST_VERBOSE);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`bosun ${args[0]} printed no URL within 120 s:\n${output}`)),
      120_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (verbose) process.stderr.write(chunk);
      const match = urlLine.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`bosun ${args[0]} exited (${code ?? signal}) before printing its URL:\n${output}`));
    });
  }).catch(async (error) => {
    child.kill("SIGKILL");
    await exited;
    throw error;
  });
  let closing: Promise<void> | null = null;
  return {
    url,
    close: () => {
      closing ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
        await exited;
        clearTimeout(timer);
      })();
      return closing;
    },
  };
}

/**
 * Where the tests save screenshots of the main pages: a folder under the system's temp directory, so a
 * test run leaves the working tree as it was; with BOSUN_REFRESH_SCREENSHOTS=1, docs/images (the pictures
 * docs/ui.md shows), to refresh them on purpose.
 */
export const SCREENSHOT_DIR =
  process.env.BOSUN_REFRESH_SCREENSHOTS === "1"
    ? path.join(REPO_ROOT, "docs/images")
    : path.join(tmpdir(), "bosun-ui-screenshots");
