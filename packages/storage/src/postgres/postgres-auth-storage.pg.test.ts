import { randomUUID } from "node:crypto";
import { createTestStorage, type TestStorage, waitFor } from "@bosun/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isTokenSecretShaped, TokenNameTakenError } from "../index.ts";

let db: TestStorage;
beforeAll(async () => {
  db = await createTestStorage();
});
afterAll(() => db?.drop());

const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;

describe("API tokens in PostgreSQL", () => {
  it("returns the secret once, stores only its SHA-256, and finds the token by its secret", async () => {
    const name = unique("ci");
    const { token, secret } = await db.storage.auth.createToken({ name, kind: "user", role: "launcher" });
    expect(isTokenSecretShaped(secret)).toBe(true);
    expect(secret.startsWith("bosun_user_")).toBe(true);
    expect(await db.storage.auth.findTokenBySecret(secret)).toEqual(token);
    // One character changed (never to itself: a secret may already end in "A").
    const altered = `${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}`;
    expect(await db.storage.auth.findTokenBySecret(altered)).toBeNull();

    const client = new pg.Client({ connectionString: db.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query(
        "SELECT *, encode(secret_hash, 'hex') AS hex FROM api_tokens WHERE id = $1",
        [token.id],
      );
      expect(JSON.stringify(rows)).not.toContain(secret);
      expect(rows[0].hex).toHaveLength(64);
    } finally {
      await client.end();
    }
  });

  it("refuses a second token in force with the same name, and allows it again once the first is revoked", async () => {
    const name = unique("deploy");
    await db.storage.auth.createToken({ name, kind: "user", role: "viewer" });
    await expect(db.storage.auth.createToken({ name, kind: "user", role: "viewer" })).rejects.toThrow(
      TokenNameTakenError,
    );
    const revoked = await db.storage.auth.revokeToken(name, new Date());
    expect(revoked?.revokedAt).toBeInstanceOf(Date);
    await expect(db.storage.auth.createToken({ name, kind: "user", role: "viewer" })).resolves.toBeDefined();
  });

  it("revokes by id or name, lists revoked tokens only when asked, and answers null for an unknown token", async () => {
    const { token } = await db.storage.auth.createToken({
      name: unique("agent"),
      kind: "agent",
      role: "editor",
      location: "finance",
      expiresAt: new Date(Date.now() + 60_000),
    });
    expect(token).toMatchObject({ kind: "agent", role: "editor", location: "finance", revokedAt: null });
    expect((await db.storage.auth.listTokens()).map((t) => t.id)).toContain(token.id);
    expect((await db.storage.auth.revokeToken(token.id, new Date()))?.id).toBe(token.id);
    expect(await db.storage.auth.revokeToken(token.id, new Date())).toBeNull();
    expect(await db.storage.auth.revokeToken("no-such-token", new Date())).toBeNull();
    expect((await db.storage.auth.listTokens()).map((t) => t.id)).not.toContain(token.id);
    expect((await db.storage.auth.listTokens({ includeRevoked: true })).map((t) => t.id)).toContain(token.id);
  });
});

describe("token revocation notices", () => {
  it("tells a watcher when another process revokes a token, and not otherwise", async () => {
    let notices = 0;
    const subscription = await db.storage.auth.watchTokenRevocations(() => notices++);
    const other = await db.openAnother();
    try {
      const name = unique("watched");
      await other.auth.createToken({ name, kind: "user", role: "viewer" });
      await other.auth.revokeToken("not-a-token", new Date());
      await other.auth.revokeToken(name, new Date());
      await waitFor("a revocation notice", () => (notices > 0 ? notices : undefined), 5_000, 10);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(notices).toBe(1);
    } finally {
      await subscription.close();
      await other.close();
    }
  });
});

describe("audit log in PostgreSQL", () => {
  it("lists entries newest first and pages on with beforeId", async () => {
    const actor = unique("auditor");
    for (const decision of ["allowed", "denied", "allowed"] as const) {
      await db.storage.auth.appendAudit({
        at: new Date(),
        actor,
        actorKind: "user",
        action: "POST /api/runs",
        permission: "runs.launch",
        object: "job main/sum_job",
        address: "127.0.0.1",
        decision,
        statusCode: decision === "allowed" ? 201 : 403,
        reason: decision === "denied" ? "FORBIDDEN" : null,
      });
    }
    const mine = (await db.storage.auth.listAudit({ limit: 1000 })).filter((e) => e.actor === actor);
    expect(mine.map((e) => e.decision)).toEqual(["allowed", "denied", "allowed"]);
    expect(mine[0]!.id).toBeGreaterThan(mine[1]!.id);
    const older = await db.storage.auth.listAudit({ limit: 1, beforeId: mine[0]!.id });
    expect(older[0]?.id).toBe(mine[1]!.id);
  });

  it("filters the audit log by actor, action text (wildcards taken literally) and decision", async () => {
    const actor = `filter-${randomUUID().slice(0, 8)}`;
    const at = new Date();
    const entry = (action: string, decision: "allowed" | "denied") =>
      db.storage.auth.appendAudit({
        at,
        actor,
        actorKind: "user",
        action,
        permission: null,
        object: null,
        address: null,
        decision,
        statusCode: decision === "allowed" ? 200 : 403,
        reason: null,
      });
    await entry("POST /api/runs", "allowed");
    await entry("POST /api/runs/:id/terminate", "denied");
    await entry("POST /api/tokens", "allowed");
    const actions = async (query: Partial<Parameters<typeof db.storage.auth.listAudit>[0]>) =>
      (await db.storage.auth.listAudit({ limit: 100, actor, ...query })).map((e) => e.action);
    expect(await actions({})).toEqual(["POST /api/tokens", "POST /api/runs/:id/terminate", "POST /api/runs"]);
    expect(await actions({ action: "TERMINATE" })).toEqual(["POST /api/runs/:id/terminate"]);
    expect(await actions({ action: "/api/runs" })).toEqual([
      "POST /api/runs/:id/terminate",
      "POST /api/runs",
    ]);
    expect(await actions({ action: "%" })).toEqual([]);
    expect(await actions({ decision: "denied" })).toEqual(["POST /api/runs/:id/terminate"]);
    expect(await actions({ decision: "allowed", action: "tokens" })).toEqual(["POST /api/tokens"]);
    expect(await db.storage.auth.listAudit({ limit: 100, actor: `${actor}-other` })).toEqual([]);
  });

  it("adopts a secret chosen outside Bosun once, keeps it on every later call, replaces a rotated one and never restores a revoked one", async () => {
    const name = `adopted-${randomUUID().slice(0, 8)}`;
    const first = `bosun_user_${"a".repeat(40)}${randomUUID().slice(0, 3)}`;
    const spec = { name, kind: "user" as const, role: "admin" as const, createdBy: "chart" };
    const at = new Date();
    const created = await db.storage.auth.adoptTokenSecret(first, spec, at);
    expect(created.outcome).toBe("created");
    expect((await db.storage.auth.findTokenBySecret(first))?.id).toBe(created.token.id);
    // Several processes starting at once, and every restart after: one token.
    const again = await Promise.all([1, 2, 3].map(() => db.storage.auth.adoptTokenSecret(first, spec, at)));
    expect(again.map((r) => [r.outcome, r.token.id])).toEqual(
      [1, 2, 3].map(() => ["kept", created.token.id]),
    );
    expect((await db.storage.auth.listTokens()).filter((t) => t.name === name)).toHaveLength(1);

    const rotated = `bosun_user_${"b".repeat(40)}${randomUUID().slice(0, 3)}`;
    const replaced = await db.storage.auth.adoptTokenSecret(rotated, spec, at);
    expect(replaced.outcome).toBe("replaced");
    expect((await db.storage.auth.findTokenBySecret(first))?.revokedAt).not.toBeNull();
    expect((await db.storage.auth.listTokens()).filter((t) => t.name === name).map((t) => t.id)).toEqual([
      replaced.token.id,
    ]);

    await db.storage.auth.revokeToken(name, at);
    const revoked = await db.storage.auth.adoptTokenSecret(rotated, spec, at);
    expect(revoked.outcome).toBe("revoked");
    expect((await db.storage.auth.listTokens()).filter((t) => t.name === name)).toEqual([]);

    await expect(db.storage.auth.adoptTokenSecret("not-a-token", spec, at)).rejects.toThrow(
      /must look like bosun_user_ followed by 43/,
    );
    await expect(db.storage.auth.adoptTokenSecret(`bosun_agent_${"c".repeat(43)}`, spec, at)).rejects.toThrow(
      /bosun_user_/,
    );
  });
});
