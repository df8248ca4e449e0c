import { randomUUID } from "node:crypto";
import { emptyWorkspace, type LocationEntry, type Workspace } from "@bosun/code-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningWebserver } from "../src/index.ts";
import { startWebserverHarness, type WebserverHarness } from "./support/webserver-harness.ts";

/**
 * Deployments through the API: `/api/d/<deployment>/...` (or the X-Bosun-Deployment header) serves
 * that deployment's data, today's URLs serve prod, and a branch deployment's page lists the assets and
 * jobs it changes against its base.
 */

let h: WebserverHarness;
let server: RunningWebserver;

/** The branch's version of location "main": raw_orders at a new code version, forecast new, the other assets gone. */
function branchWorkspace(): Workspace {
  const main = h.workspace.get("main") as LocationEntry;
  const snapshot = main.snapshot;
  if (!snapshot) throw new Error("location main has no snapshot");
  const rawOrders = snapshot.assets.find((a) => a.key === "raw_orders");
  if (!rawOrders) throw new Error("no raw_orders");
  const entry: LocationEntry = {
    ...main,
    snapshot: {
      ...snapshot,
      assets: [
        { ...rawOrders, codeVersion: "v2" },
        { ...rawOrders, key: "forecast", stepKey: "forecast" },
      ],
      jobs: snapshot.jobs.filter((j) => j.name !== "failing_job"),
    },
  };
  return { ...emptyWorkspace(), list: () => [entry], get: (name) => (name === "main" ? entry : undefined) };
}

beforeAll(async () => {
  h = await startWebserverHarness();
  await h.db.storage.deployments.upsertBranchDeployment(
    "feat",
    { branch: "feat", base: "prod", commit: "c0ffee" },
    new Date(),
  );
  const workspace = branchWorkspace();
  server = await h.startAnother({
    deployments: { storages: h.db.storage, workspaceOf: (name) => (name === "feat" ? workspace : undefined) },
  });
}, 60_000);
afterAll(() => h?.close());

describe("deployments in the API", () => {
  it("serves each deployment's runs under /api/d/<deployment>, and prod under today's URLs", async () => {
    const branch = await h.db.storage.forDeployment("feat");
    const runId = randomUUID();
    await branch.runs.createRun({ runId, jobName: "branch_only", status: "QUEUED" });

    const inBranch = await h.api("GET", `/api/d/feat/runs/${runId}`, undefined, server);
    expect(inBranch.status).toBe(200);
    expect(inBranch.body.run.jobName).toBe("branch_only");
    const byHeader = await fetch(`${server.url}/api/runs/${runId}`, {
      headers: { "x-bosun-deployment": "feat" },
    });
    expect(byHeader.status).toBe(200);
    expect((await h.api("GET", `/api/runs/${runId}`, undefined, server)).status).toBe(404);
    expect((await h.api("GET", `/api/d/prod/runs/${runId}`, undefined, server)).status).toBe(404);
    const list = await h.api("GET", "/api/d/feat/runs", undefined, server);
    expect(list.body.runs.map((r: { runId: string }) => r.runId)).toEqual([runId]);
  });

  it("refuses an unknown deployment with 404 and the nearest name, and a malformed one with 400 naming the field", async () => {
    const unknown = await h.api("GET", "/api/d/fet/runs", undefined, server);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: "DEPLOYMENT_NOT_FOUND" });
    expect(unknown.body.error.message).toMatch(/no deployment "fet".*feat/);
    const malformed = await h.api("GET", "/api/d/Not_A_Name/runs", undefined, server);
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details.issues[0].field).toBe("path.deployment");
  });

  it("lists the assets and jobs a branch deployment adds, removes or changes against its base", async () => {
    const changes = await h.api("GET", "/api/deployments/feat/changes", undefined, server);
    expect(changes.status, JSON.stringify(changes.body)).toBe(200);
    expect(changes.body).toMatchObject({ deployment: "feat", base: "prod" });
    expect(changes.body.assets).toEqual([
      { location: "main", name: "forecast", change: { kind: "added" } },
      { location: "main", name: "raw_orders", change: { kind: "changed", changed: ["codeVersion"] } },
      { location: "main", name: "regional_sales", change: { kind: "removed" } },
      { location: "main", name: "sales/revenue", change: { kind: "removed" } },
    ]);
    expect(changes.body.jobs).toEqual([
      { location: "main", name: "failing_job", change: { kind: "removed" } },
    ]);
  });

  it("serves a branch deployment's own code locations, and prod's to prod", async () => {
    const branchAssets = await h.api("GET", "/api/d/feat/assets", undefined, server);
    expect(branchAssets.body.assets.map((a: { key: string }) => a.key).sort()).toEqual([
      "forecast",
      "raw_orders",
    ]);
    const prodAssets = await h.api("GET", "/api/assets", undefined, server);
    expect(prodAssets.body.assets.map((a: { key: string }) => a.key).sort()).toEqual([
      "raw_orders",
      "regional_sales",
      "sales/revenue",
    ]);
  });
});
