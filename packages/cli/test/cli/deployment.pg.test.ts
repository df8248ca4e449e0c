import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { emptyWorkspace } from "@bosun/code-server";
import { AUTH_DISABLED } from "@bosun/instance";
import { createTestStorage, runBosun, type TestStorage } from "@bosun/test-support";
import { type RunningWebserver, startWebserver } from "@bosun/webserver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * `bosun deployment create|close|list` as CI runs them: processes calling a webserver with auth on,
 * an editor token in $BOSUN_TOKEN and the webserver's URL in --url.
 */

let db: TestStorage;
let server: RunningWebserver;
let home: string;
let editor: string;
let viewer: string;

beforeAll(async () => {
  db = await createTestStorage();
  home = await mkdtemp(path.join(tmpdir(), "bosun-deployment-cli-"));
  server = await startWebserver({
    storage: db.storage,
    workspace: emptyWorkspace(),
    auth: { ...AUTH_DISABLED, enabled: true },
    deployments: { storages: db.storage },
    host: "127.0.0.1",
    port: 0,
    uiDirectory: null,
  });
  editor = (await db.storage.auth.createToken({ name: "ci-editor", kind: "user", role: "editor" })).secret;
  viewer = (await db.storage.auth.createToken({ name: "ci-viewer", kind: "user", role: "viewer" })).secret;
}, 60_000);
afterAll(async () => {
  await server?.close();
  await db?.drop();
  await rm(home, { recursive: true, force: true });
});

const bosun = (args: readonly string[], token: string | null) =>
  runBosun([...args, "--url", server.url], {
    BOSUN_HOME: home,
    ...(token !== null ? { BOSUN_TOKEN: token } : {}),
  });

describe("bosun deployment", () => {
  it("creates a branch deployment, updates it on the next push, lists it, and closes it", async () => {
    const created = await bosun(
      [
        "deployment",
        "create",
        "--branch",
        "feature/Add-Orders",
        "--base",
        "prod",
        "--commit",
        "abc1234",
        "--pull-request",
        "https://git.example.com/shop/pull/7",
      ],
      editor,
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain("created deployment feature-add-orders");

    const pushed = await bosun(
      ["deployment", "create", "--branch", "feature/Add-Orders", "--commit", "def5678", "--json"],
      editor,
    );
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(JSON.parse(pushed.stdout)).toMatchObject({
      created: false,
      deployment: {
        name: "feature-add-orders",
        branch: "feature/Add-Orders",
        base: "prod",
        commit: "def5678",
        pullRequestUrl: "https://git.example.com/shop/pull/7",
        status: "open",
      },
    });

    const listed = await bosun(["deployment", "list", "--json"], viewer);
    expect(listed.code, listed.stderr).toBe(0);
    const names = JSON.parse(listed.stdout).deployments.map((d: { name: string }) => d.name);
    expect(names).toEqual(["prod", "feature-add-orders"]);
    const table = await bosun(["deployment", "list"], viewer);
    expect(table.stdout).toMatch(/feature-add-orders\s+branch\s+open\s+feature\/Add-Orders\s+prod\s+def5678/);

    const closed = await bosun(["deployment", "close", "feature-add-orders"], editor);
    expect(closed.code, closed.stderr).toBe(0);
    expect(closed.stdout).toContain("deployment feature-add-orders is closed");
    expect(await db.storage.deployments.getDeployment("feature-add-orders")).toMatchObject({
      status: "closed",
    });
  });

  it("refuses a viewer token and a missing token, saying which", async () => {
    const asViewer = await bosun(["deployment", "create", "--branch", "viewer-branch"], viewer);
    expect(asViewer.code).not.toBe(0);
    expect(asViewer.stderr).toContain('permission "deployments.manage"');
    const anonymous = await bosun(["deployment", "list"], null);
    expect(anonymous.code).not.toBe(0);
    expect(anonymous.stderr).toContain("$BOSUN_TOKEN");
    expect(await db.storage.deployments.getDeployment("viewer-branch")).toBeNull();
  });

  it("answers bad input with one 4xx naming the field and the nearest valid value", async () => {
    const badBase = await bosun(["deployment", "create", "--branch", "b1", "--base", "prd"], editor);
    expect(badBase.code).not.toBe(0);
    expect(badBase.stderr).toMatch(/400 INVALID_INPUT: body\.base: no deployment "prd".*prod/);
    const badUrl = await bosun(
      ["deployment", "create", "--branch", "b2", "--pull-request", "not a url"],
      editor,
    );
    expect(badUrl.stderr).toMatch(/400 INVALID_INPUT: body\.pullRequest: must be an http\(s\) URL/);
    const unknown = await bosun(["deployment", "close", "feature-add-ordrs"], editor);
    expect(unknown.stderr).toMatch(
      /404 DEPLOYMENT_NOT_FOUND: no deployment "feature-add-ordrs".*feature-add-orders/,
    );
    const prod = await bosun(["deployment", "close", "prod"], editor);
    expect(prod.stderr).toMatch(/400 INVALID_INPUT: params\.name: "prod" is a full deployment/);
  });

  it("keeps a closed deployment's history readable and refuses writes into it with 409 naming it", async () => {
    await bosun(["deployment", "create", "--branch", "closing"], editor);
    const storage = await db.storage.forDeployment("closing");
    const runId = randomUUID();
    await storage.runs.createRun({ runId, jobName: "j", status: "QUEUED" });
    await bosun(["deployment", "close", "closing"], editor);

    const read = await fetch(`${server.url}/api/d/closing/runs/${runId}`, {
      headers: { authorization: `Bearer ${editor}` },
    });
    expect(read.status).toBe(200);
    expect((await read.json()).run.runId).toBe(runId);
    const write = await fetch(`${server.url}/api/d/closing/runs/${runId}/terminate`, {
      method: "POST",
      headers: { authorization: `Bearer ${editor}` },
    });
    expect(write.status).toBe(409);
    const body = await write.json();
    expect(body.error.code).toBe("DEPLOYMENT_CLOSED");
    expect(body.error.message).toContain('deployment "closing" is closed');
    // The same run is not in prod: the path's deployment is the one served.
    const inProd = await fetch(`${server.url}/api/runs/${runId}`, {
      headers: { authorization: `Bearer ${editor}` },
    });
    expect(inProd.status).not.toBe(200);
  });
});
