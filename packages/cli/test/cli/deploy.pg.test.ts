import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { LocationEntry, Workspace } from "@bosun/code-server";
import { AUTH_DISABLED } from "@bosun/instance";
import { k8sPlugin } from "@bosun/k8s/plugin";
import { createTestStorage, runBosun, StandInAgent, type TestStorage } from "@bosun/test-support";
import { type RunningWebserver, startWebserver } from "@bosun/webserver";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

/**
 * `bosun deploy` and `bosun deploy history` as processes, against a control plane (webserver with auth
 * on, PostgreSQL) reached by URL with a user token: versions, history, the agents' reconcile request,
 * and locations-file mistakes reported with the file, path and suggestion before anything is sent.
 */

/** The control plane here serves no code location of its own: agents run them. */
const noLocations: Workspace = {
  list: () => [],
  get: () => undefined as LocationEntry | undefined,
  client: (name) => {
    throw new Error(`no code location "${name}"`);
  },
  reload: async (name) => {
    throw new Error(`no code location "${name}"`);
  },
  onChange: () => () => {},
  close: async () => {},
};

// Each test starts `bosun` a few times; loading the Kubernetes plugin's schemas takes seconds on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

let db: TestStorage;
let server: RunningWebserver;
let dir: string;
let editor: string;
let viewer: string;

beforeAll(async () => {
  db = await createTestStorage();
  server = await startWebserver({
    storage: db.storage,
    workspace: noLocations,
    port: 0,
    uiDirectory: null,
    auth: { ...AUTH_DISABLED, enabled: true },
    containerContextChecks: k8sPlugin.definitionChecks?.containerContext ?? {},
    deployments: { storages: db.storage },
  });
  // Locations are set for a deployment the registry knows (CI runs `bosun deployment create` first).
  await db.storage.deployments.upsertBranchDeployment(
    "staging",
    { branch: "staging", base: "prod" },
    new Date(),
  );
  editor = (await db.storage.auth.createToken({ name: "ci", kind: "user", role: "editor" })).secret;
  viewer = (await db.storage.auth.createToken({ name: "reader", kind: "user", role: "viewer" })).secret;
  dir = await mkdtemp(path.join(tmpdir(), "bosun-deploy-cli-"));
}, 60_000);
afterAll(async () => {
  await server?.close();
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

async function locationsFile(name: string, yaml: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, yaml);
  return file;
}

const deploy = (args: string[], token: string | null) =>
  runBosun(["deploy", ...args], {
    BOSUN_URL: server.url,
    ...(token ? { BOSUN_TOKEN: token } : { BOSUN_TOKEN: "" }),
  });

describe("bosun deploy", () => {
  it("sets a deployment's locations with a token, versions each change and lists the history", async () => {
    const agent = new StandInAgent({
      baseUrl: server.url,
      token: (await db.storage.auth.createToken({ name: "agent", kind: "agent", role: "viewer" })).secret,
      agentId: "cli-agent",
      deployments: ["staging"],
    });
    expect((await agent.register()).status).toBe(200);
    const first = await locationsFile(
      "v1.yaml",
      [
        "locations:",
        "  - location_name: sales",
        "    image: registry.example.com/sales:1",
        "    code_source:",
        "      file: src/definitions.ts",
        "    container_context:",
        "      k8s:",
        "        env_secrets: [sales-db]",
        "        run_k8s_config:",
        "          job_spec_config:",
        "            ttl_seconds_after_finished: 7200",
        "",
      ].join("\n"),
    );
    const one = await deploy(["-d", "staging", "-f", first], editor);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toContain("deployment staging: version 1 with 1 location(s) (sales)");

    const second = await locationsFile(
      "v2.yaml",
      "locations:\n  - locationName: sales\n    codeSource: { module: '@acme/sales' }\n  - location_name: ops\n    code_source: { file: ops.ts }\n    agent_queue: eu\n",
    );
    const two = await deploy(["--deployment", "staging", "--file", second, "--json"], editor);
    expect(two.code, two.stderr).toBe(0);
    expect(JSON.parse(two.stdout)).toMatchObject({ deployment: "staging", version: 2, createdBy: "ci" });

    const history = await runBosun(
      ["deploy", "history", "-d", "staging", "--url", server.url, "--token", viewer],
      {},
    );
    expect(history.code, history.stderr).toBe(0);
    const lines = history.stdout.trim().split("\n");
    expect(lines.map((line) => line.trim().split(/\s+/)[0])).toEqual(["2", "1"]);
    expect(lines[0]).toContain("sales, ops");

    // The default queue's agent was asked to reconcile each version (the eu queue's request is not its).
    const reconciles = await agent.take({ waitMs: 1_000 });
    expect(reconciles.map((request) => request.payload.version)).toEqual([1, 2]);
    expect(reconciles[1]!.payload.locations.map((l: { location_name: string }) => l.location_name)).toEqual([
      "sales",
    ]);
  });

  it("reports a misspelt key with the file, its path and the nearest key, sending nothing", async () => {
    const file = await locationsFile(
      "typo.yaml",
      "locations:\n  - location_name: typo\n    code_source: { file: a.ts }\n    container_context:\n      k8s:\n        servce_account_name: x\n",
    );
    const result = await deploy(["-d", "typo-check", "-f", file], editor);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(file);
    expect(result.stderr).toContain("locations[0].container_context.k8s.servce_account_name");
    expect(result.stderr).toContain("service_account_name");
    expect(await db.storage.desiredLocations.getDesiredLocations("typo-check")).toBeNull();
  });

  it("refuses without a token, and with a token lacking locations.deploy", async () => {
    const file = await locationsFile(
      "ok.yaml",
      "locations:\n  - location_name: a\n    code_source: { file: a.ts }\n",
    );
    const anonymous = await deploy(["-d", "refused", "-f", file], null);
    expect(anonymous.code).not.toBe(0);
    expect(anonymous.stderr).toContain("401");
    expect(anonymous.stderr).toContain("BOSUN_TOKEN");
    const asViewer = await deploy(["-d", "refused", "-f", file], viewer);
    expect(asViewer.code).not.toBe(0);
    expect(asViewer.stderr).toContain('permission "locations.deploy"');
    expect(await db.storage.desiredLocations.getDesiredLocations("refused")).toBeNull();
  });
});
