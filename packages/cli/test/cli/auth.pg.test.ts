import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  createTestStorage,
  FIXTURES,
  runBosun,
  startBosun,
  type TestStorage,
  waitFor,
} from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** `bosun auth bootstrap` and `bosun token create|list|revoke` against an instance's database, as processes. */

let db: TestStorage;
let env: Record<string, string>;
const homes: string[] = [];
beforeAll(async () => {
  db = await createTestStorage();
  env = await instance("");
});
afterAll(async () => {
  await db?.drop();
  for (const home of homes) await rm(home, { recursive: true, force: true });
});

/** A BOSUN_HOME whose bosun.yaml is `yaml`, on this file's database. */
async function instance(yaml: string): Promise<Record<string, string>> {
  const home = await mkdtemp(path.join(tmpdir(), "bosun-auth-cli-"));
  homes.push(home);
  await writeFile(path.join(home, "bosun.yaml"), yaml);
  return { BOSUN_HOME: home, BOSUN_DATABASE_URL: db.databaseUrl };
}

const SECRET = /^bosun_user_[A-Za-z0-9_-]{43}$/;

describe("bosun auth bootstrap", () => {
  it("prints one admin token once, refuses a second bootstrap, and --force replaces the first", async () => {
    const first = await runBosun(["auth", "bootstrap"], env);
    expect(first.code, first.stderr).toBe(0);
    const secret = first.stdout.trim();
    expect(secret).toMatch(SECRET);
    expect(first.stderr).toContain("only time it is shown");
    expect(await db.storage.auth.findTokenBySecret(secret)).toMatchObject({
      name: "bootstrap-admin",
      role: "admin",
      location: null,
      revokedAt: null,
    });

    const again = await runBosun(["auth", "bootstrap"], env);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain("already has admin tokens (bootstrap-admin)");
    expect(again.stdout).toBe("");

    const forced = await runBosun(["auth", "bootstrap", "--force"], env);
    expect(forced.code, forced.stderr).toBe(0);
    const replacement = forced.stdout.trim();
    expect(replacement).toMatch(SECRET);
    expect(replacement).not.toBe(secret);
    expect((await db.storage.auth.findTokenBySecret(secret))?.revokedAt).toBeInstanceOf(Date);
    expect((await db.storage.auth.findTokenBySecret(replacement))?.revokedAt).toBeNull();
  });
});

describe("bosun token", () => {
  it("creates a token shown once, lists it without its secret, and revokes it by name", async () => {
    const before = Date.now();
    const created = await runBosun(
      ["token", "create", "--role", "launcher", "--name", "ci", "--expires", "90d", "--location", "finance"],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    const secret = created.stdout.trim();
    expect(secret).toMatch(SECRET);

    const listed = await runBosun(["token", "list", "--json"], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).not.toContain(secret);
    const ci = JSON.parse(listed.stdout).find((t: { name: string }) => t.name === "ci");
    expect(ci).toMatchObject({ kind: "user", role: "launcher", location: "finance", lastUsedAt: null });
    const ninetyDays = 90 * 24 * 60 * 60 * 1000;
    expect(Date.parse(ci.expiresAt) - before).toBeGreaterThanOrEqual(ninetyDays - 1000);
    expect(Date.parse(ci.expiresAt) - before).toBeLessThan(ninetyDays + 60_000);

    const text = await runBosun(["token", "list"], env);
    expect(text.stdout).toMatch(/ci\s+user\s+launcher\s+location finance/);

    const revoked = await runBosun(["token", "revoke", "ci"], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`revoked token "ci" (${ci.id})`);
    expect((await db.storage.auth.findTokenBySecret(secret))?.revokedAt).toBeInstanceOf(Date);
    const after = JSON.parse((await runBosun(["token", "list", "--json"], env)).stdout);
    expect(after.map((t: { name: string }) => t.name)).not.toContain("ci");
  });

  it("refuses a misspelt role, a bad lifetime, a bad name and a run token, naming the flag", async () => {
    const role = await runBosun(["token", "create", "--role", "lancher", "--name", "x"], env);
    expect(role.code).toBe(2);
    expect(role.stderr).toContain('--role "lancher" is not a role; did you mean "launcher"?');
    const expires = await runBosun(
      ["token", "create", "--role", "viewer", "--name", "x", "--expires", "90"],
      env,
    );
    expect(expires.code).toBe(2);
    expect(expires.stderr).toContain('--expires "90" is not a lifetime');
    const name = await runBosun(["token", "create", "--role", "viewer", "--name", "has space"], env);
    expect(name.code).toBe(2);
    expect(name.stderr).toContain('--name "has space" is not a token name');
    const kind = await runBosun(["token", "create", "--role", "viewer", "--name", "x", "--kind", "run"], env);
    expect(kind.code).toBe(2);
    expect(kind.stderr).toContain('--kind "run" is not a token kind you can create');
    expect((await db.storage.auth.listTokens()).map((t) => t.name)).not.toContain("x");
  });

  it("refuses a second token in force with the same name and a revoke of a token that is not there", async () => {
    expect((await runBosun(["token", "create", "--role", "viewer", "--name", "dashboards"], env)).code).toBe(
      0,
    );
    const twice = await runBosun(["token", "create", "--role", "viewer", "--name", "dashboards"], env);
    expect(twice.code).not.toBe(0);
    expect(twice.stderr).toContain('a token named "dashboards" already exists');
    const unknown = await runBosun(["token", "revoke", "dashboard"], env);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain(
      'no token in force named or with id "dashboard"; did you mean "dashboards"?',
    );
  });
});

describe("bosun webserver and auth", () => {
  it("refuses to serve on a non-loopback address with auth off, naming the way out", async () => {
    const result = await runBosun(
      ["webserver", "-f", FIXTURES.engine, "--host", "0.0.0.0", "--port", "0"],
      await instance(""),
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("refusing to serve on 0.0.0.0 without auth");
    expect(result.stderr).toContain("--insecure-allow-anonymous");
  });

  it("stores the admin token in BOSUN_BOOTSTRAP_TOKEN at start, once, and refuses a malformed one without echoing it", async () => {
    const secret = `bosun_user_${"Q".repeat(30)}${Date.now().toString(36).padStart(13, "0")}`;
    const authOn = await instance("auth:\n  enabled: true\n");
    // This file's database may hold an earlier test's bootstrap-admin, which the variable would replace.
    await db.storage.auth.revokeToken("bootstrap-admin", new Date());
    const serve = async () => {
      const server = startBosun(["webserver", "-f", FIXTURES.engine, "--port", "0"], {
        ...authOn,
        BOSUN_BOOTSTRAP_TOKEN: secret,
      });
      let output = "";
      server.child.stdout!.on("data", (chunk: Buffer) => {
        output += chunk.toString("utf8");
      });
      const url = await waitFor("the webserver's URL", () => /listening on (\S+)/.exec(output)?.[1]);
      const me = await fetch(`${url}/api/auth/me`, { headers: { authorization: `Bearer ${secret}` } });
      server.child.kill("SIGTERM");
      const done = await server.done;
      return { output: output + done.stderr, me: (await me.json()) as { name: string; grants: unknown } };
    };
    const first = await serve();
    expect(first.me).toMatchObject({ name: "bootstrap-admin", grants: [{ role: "admin", location: null }] });
    expect(first.output).toContain('admin token "bootstrap-admin" stored from BOSUN_BOOTSTRAP_TOKEN');
    expect(first.output).not.toContain(secret);
    // A restart (or another replica) keeps the one token.
    const second = await serve();
    expect(second.me.name).toBe("bootstrap-admin");
    expect(second.output).not.toContain("stored from");
    expect((await db.storage.auth.listTokens()).filter((t) => t.name === "bootstrap-admin")).toHaveLength(1);

    const malformed = await runBosun(["webserver", "-f", FIXTURES.engine, "--port", "0"], {
      ...authOn,
      BOSUN_BOOTSTRAP_TOKEN: "hunter2-not-a-token",
    });
    expect(malformed.code).not.toBe(0);
    expect(malformed.stderr).toContain(
      "BOSUN_BOOTSTRAP_TOKEN: expected a user token, bosun_user_ followed by 43",
    );
    expect(malformed.stderr + malformed.stdout).not.toContain("hunter2");
  }, 240_000);

  it("refuses a misspelt auth key in bosun.yaml with the nearest valid one", async () => {
    const result = await runBosun(["token", "list"], await instance("auth:\n  enabeld: true\n"));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('auth.enabeld: unknown key (did you mean "enabled"?)');
  });
});
