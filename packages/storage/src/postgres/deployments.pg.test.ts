import { randomUUID } from "node:crypto";
import { createTestStorage, type TestStorage } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeploymentNotFoundError, PROD_DEPLOYMENT } from "../deployment-storage.ts";
import { PostgresStorage } from "./postgres-storage.ts";

let db: TestStorage;
beforeAll(async () => {
  db = await createTestStorage();
});
afterAll(() => db?.drop());

const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
const PUSHED = new Date("2026-03-01T10:00:00Z");
const PUSHED_AGAIN = new Date("2026-03-01T11:00:00Z");

describe("deployments in PostgreSQL", () => {
  it("has the prod deployment by default, open and full, served by the instance's own storage", async () => {
    const prod = await db.storage.deployments.getDeployment(PROD_DEPLOYMENT);
    expect(prod).toMatchObject({ name: "prod", kind: "full", status: "open", branch: null, base: null });
    expect(await db.storage.forDeployment(PROD_DEPLOYMENT)).toBe(db.storage);
  });

  it("keeps each deployment's runs to itself: a run in one is invisible in the other", async () => {
    const name = unique("iso");
    await db.storage.deployments.upsertBranchDeployment(name, { branch: name, base: "prod" }, PUSHED);
    const branch = await db.storage.forDeployment(name);
    const inBranch = randomUUID();
    const inProd = randomUUID();
    await branch.runs.createRun({ runId: inBranch, jobName: "branch_job", status: "QUEUED" });
    await db.storage.runs.createRun({ runId: inProd, jobName: "prod_job", status: "QUEUED" });

    expect(await branch.runs.getRun(inBranch)).toMatchObject({ runId: inBranch, jobName: "branch_job" });
    expect(await db.storage.runs.getRun(inBranch)).toBeNull();
    expect(await branch.runs.getRun(inProd)).toBeNull();
    const branchIds = (await branch.runs.listRuns({}, { limit: 100 })).runs.map((r) => r.runId);
    expect(branchIds).toEqual([inBranch]);
  });

  it("gives a branch deployment's schema the per-deployment tables only, and a run worker's connection string that reaches them", async () => {
    const name = unique("schema");
    await db.storage.deployments.upsertBranchDeployment(name, { branch: name, base: "prod" }, PUSHED);
    const branch = await db.storage.forDeployment(name);
    const schema = `bosun_deployment_${name.replaceAll("-", "_")}`;
    const { rows } = await db.storage.pgPool.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = $1",
      [schema],
    );
    const tables = rows.map((r) => r.table_name);
    expect(tables).toEqual(
      expect.arrayContaining(["runs", "event_logs", "instigator_ticks", "schema_migrations"]),
    );
    for (const instanceWide of ["api_tokens", "sessions", "audit_log", "deployments"])
      expect(tables).not.toContain(instanceWide);

    // A worker opens storage from BOSUN_DATABASE_URL alone, as a run worker does.
    const runId = randomUUID();
    await branch.runs.createRun({ runId, jobName: "j", status: "QUEUED" });
    const worker = await PostgresStorage.open({
      connectionString: branch.childProcessEnv().BOSUN_DATABASE_URL ?? "",
      migrate: false,
    });
    try {
      expect(await worker.runs.getRun(runId)).toMatchObject({ runId });
    } finally {
      await worker.close();
    }
  });

  it("shares the instance-wide stores: a token created through a branch deployment's storage is the instance's", async () => {
    const name = unique("auth");
    await db.storage.deployments.upsertBranchDeployment(name, { branch: name, base: "prod" }, PUSHED);
    const branch = await db.storage.forDeployment(name);
    const { token } = await branch.auth.createToken({ name: unique("ci"), kind: "user", role: "editor" });
    const tokens = await db.storage.auth.listTokens();
    expect(tokens.map((t) => t.id)).toContain(token.id);
  });

  it("creates a branch deployment once and updates it on each push (idempotent by branch)", async () => {
    const branchName = unique("feature");
    const first = await db.storage.deployments.upsertBranchDeployment(
      branchName,
      { branch: branchName, base: "prod", commit: "aaa111", pullRequestUrl: "https://git.example/pr/1" },
      PUSHED,
    );
    expect(first.created).toBe(true);
    const second = await db.storage.deployments.upsertBranchDeployment(
      "ignored-on-update",
      { branch: branchName, base: "prod", commit: "bbb222" },
      PUSHED_AGAIN,
    );
    expect(second.created).toBe(false);
    expect(second.deployment).toMatchObject({
      name: branchName,
      kind: "branch",
      commit: "bbb222",
      // A push that does not name the pull request keeps the one named before.
      pullRequestUrl: "https://git.example/pr/1",
      createdAt: PUSHED,
      updatedAt: PUSHED_AGAIN,
    });
    const names = (await db.storage.deployments.listDeployments()).map((d) => d.name);
    expect(names[0]).toBe("prod");
    expect(names.filter((n) => n === branchName || n === "ignored-on-update")).toEqual([branchName]);
  });

  it("closes a deployment, lists it for retention once closed long enough, and reopens it on a new push", async () => {
    const name = unique("close");
    await db.storage.deployments.upsertBranchDeployment(name, { branch: name, base: "prod" }, PUSHED);
    const closed = await db.storage.deployments.closeDeployment(name, PUSHED_AGAIN);
    expect(closed).toMatchObject({ status: "closed", closedAt: PUSHED_AGAIN });
    const due = await db.storage.deployments.listClosedBefore(new Date(PUSHED_AGAIN.getTime() + 1));
    expect(due.map((d) => d.name)).toContain(name);
    const notYet = await db.storage.deployments.listClosedBefore(PUSHED_AGAIN);
    expect(notYet.map((d) => d.name)).not.toContain(name);
    const reopened = await db.storage.deployments.upsertBranchDeployment(
      "x",
      { branch: name, base: "prod" },
      new Date(),
    );
    expect(reopened.deployment).toMatchObject({ name, status: "open", closedAt: null });
  });

  it("deletes a deployment with its data, and then no longer resolves it", async () => {
    const name = unique("purge");
    await db.storage.deployments.upsertBranchDeployment(name, { branch: name, base: "prod" }, PUSHED);
    const branch = await db.storage.forDeployment(name);
    await branch.runs.createRun({ runId: randomUUID(), jobName: "j", status: "QUEUED" });
    await db.storage.releaseDeployment(name);
    expect(await db.storage.deployments.deleteDeployment(name)).toBe(true);
    const { rows } = await db.storage.pgPool.query(
      "SELECT 1 FROM information_schema.schemata WHERE schema_name = $1",
      [`bosun_deployment_${name.replaceAll("-", "_")}`],
    );
    expect(rows).toEqual([]);
    await expect(db.storage.forDeployment(name)).rejects.toBeInstanceOf(DeploymentNotFoundError);
  });

  it("refuses an unknown deployment name with the nearest known one", async () => {
    await expect(db.storage.forDeployment("prd")).rejects.toThrow(/no deployment "prd".*prod/);
  });
});
