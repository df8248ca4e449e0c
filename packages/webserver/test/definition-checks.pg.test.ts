/**
 * A location whose `bosun-k8s/config` tag misspells a key, served by a real `bosun api grpc` process with
 * the `bosun` command's plugins: the webserver shows it as a load error, and refuses to launch its job.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startWorkspace, type WorkspaceManager } from "@bosun/code-server";
import { BOSUN_COMMAND, createTestStorage, FIXTURES, type TestStorage } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningWebserver, startWebserver } from "../src/index.ts";

const SUGGESTION =
  'job "nightly_compaction" tag bosun-k8s/config: `container_config.resourcs`: unknown field; did you mean `resources`?';

let db: TestStorage;
let home: string;
let workspace: WorkspaceManager;
let server: RunningWebserver;

beforeAll(async () => {
  db = await createTestStorage();
  home = await mkdtemp(path.join(tmpdir(), "bosun-webserver-checks-"));
  const workspaceFile = path.join(home, "workspace.yaml");
  await writeFile(
    workspaceFile,
    [
      "load_from:",
      "  - typescript_file:",
      `      path: ${JSON.stringify(FIXTURES.k8sTagTypo)}`,
      "      location_name: compaction",
      "",
    ].join("\n"),
  );
  workspace = await startWorkspace(
    { workspaceFile },
    {
      bosunCommand: BOSUN_COMMAND,
      env: { BOSUN_DATABASE_URL: db.databaseUrl, BOSUN_HOME: home },
      log: () => {},
    },
  );
  server = await startWebserver({ storage: db.storage, workspace, port: 0, uiDirectory: null });
  // A code server process loads TypeScript through tsx: slow on a busy machine.
}, 180_000);

afterAll(async () => {
  await server?.close();
  await workspace?.close();
  await db?.drop();
  await rm(home, { recursive: true, force: true });
});

async function api(method: string, url: string, body?: unknown) {
  const response = await fetch(`${server.url}${url}`, {
    method,
    ...(body !== undefined
      ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } }
      : {}),
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read the JSON body field by field
  return { status: response.status, body: (await response.json()) as any };
}

describe("a location whose bosun-k8s/config tag misspells a key", () => {
  it("is listed as a load error naming the job, the path and the nearest key", async () => {
    const { body } = await api("GET", "/api/locations");
    const [location] = body.locations;
    expect(location).toMatchObject({ name: "compaction", status: "ERROR" });
    expect(location.error.message).toBe(
      `cannot load code location from ${FIXTURES.k8sTagTypo}: ${SUGGESTION}`,
    );
    expect(location.error.cause).toMatchObject({ className: "DefinitionError", message: SUGGESTION });
  });

  it("refuses a launch of its job with 422 and the problem, and stores no run", async () => {
    const launch = await api("POST", "/api/runs", { location: "compaction", job: "nightly_compaction" });
    expect(launch.status).toBe(422);
    expect(launch.body.error.code).toBe("LOCATION_DEFINITIONS_INVALID");
    expect(launch.body.error.message).toContain('code location "compaction" has invalid definitions');
    expect(launch.body.error.message).toContain("did you mean `resources`?");
    expect(await db.storage.runs.countRuns({})).toBe(0);
  });
});
