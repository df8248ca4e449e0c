import { randomUUID } from "node:crypto";
import { AUTH_DISABLED } from "@bosun/instance";
import type { NewApiToken } from "@bosun/storage";
import { waitFor } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnonymousBindError, type RunningWebserver } from "../src/index.ts";
import {
  type ApiResponse,
  startWebserverHarness,
  type WebserverHarness,
} from "./support/webserver-harness.ts";

/**
 * Auth on: every API call but the probes needs a user token; roles and location grants are enforced
 * before anything is looked up; mutating calls are audited; tokens appear in no log or response.
 */

let h: WebserverHarness;
let secured: RunningWebserver;
const logLines: string[] = [];
let admin: string;
let existingRunId: string;

beforeAll(async () => {
  h = await startWebserverHarness();
  secured = await h.startAnother({
    auth: { ...AUTH_DISABLED, enabled: true },
    logger: { level: "trace", stream: { write: (line: string) => void logLines.push(line) } },
  });
  admin = await token({ role: "admin" });
  const launched = await call("POST", "/api/runs", admin, { location: "main", job: "sum_job" });
  expect(launched.status, JSON.stringify(launched.body)).toBe(201);
  existingRunId = launched.body.run.runId;
}, 60_000);
afterAll(() => h?.close());

let tokenCount = 0;
async function token(spec: Partial<NewApiToken> & Pick<NewApiToken, "role">): Promise<string> {
  const { secret } = await h.db.storage.auth.createToken({
    name: `test-${spec.role}-${++tokenCount}`,
    kind: "user",
    ...spec,
  });
  return secret;
}

async function call(
  method: string,
  url: string,
  bearer: string | null,
  body?: unknown,
  headers = {},
): Promise<ApiResponse> {
  const response = await fetch(`${secured.url}${url}`, {
    method,
    headers: {
      ...(bearer !== null ? { authorization: `Bearer ${bearer}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

describe("every API route declares its permission", () => {
  it("has an entry in the route table for every operation of the OpenAPI document", async () => {
    const document = (await h.api("GET", "/api/openapi.json")).body;
    const operations = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
    );
    expect(operations.length).toBeGreaterThan(30);
    const { ROUTE_ACCESS } = await import("../src/auth/route-access.ts");
    const declared = new Set(
      Object.keys(ROUTE_ACCESS).map((key) =>
        key
          .replace(/:([A-Za-z0-9_]+)/g, "{$1}")
          .replace(/\*$/, "{key}")
          .toLowerCase(),
      ),
    );
    const missing = operations
      .filter(({ path, method }) => !declared.has(`${method} ${path}`.toLowerCase()))
      .map(({ path, method }) => `${method.toUpperCase()} ${path}`);
    expect(missing).toEqual([]);
    for (const { operation } of operations)
      expect((operation as Record<string, unknown>)["x-bosun-permission"]).toMatch(/\S/);
  });
});

describe("authentication (401)", () => {
  const refusedWith = async (authorization: string | null, reason: string) => {
    const response = await call(
      "GET",
      "/api/runs",
      null,
      undefined,
      authorization === null ? {} : { authorization },
    );
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe("UNAUTHENTICATED");
    expect(response.body.error.details.reason).toBe(reason);
    expect(response.headers.get("www-authenticate")).toContain("Bearer");
  };

  it("refuses a call without a token, and one whose header is not a Bosun bearer token", async () => {
    await refusedWith(null, "missing");
    await refusedWith("Basic dXNlcjpwYXNz", "malformed");
    await refusedWith("Bearer not-a-token", "malformed");
    await refusedWith(`Bearer ${admin} extra`, "malformed");
  });

  it("refuses a well-formed token the instance never issued", async () => {
    await refusedWith(`Bearer bosun_user_${"A".repeat(43)}`, "unknown");
  });

  it("refuses expired and revoked tokens", async () => {
    const expired = await token({ role: "admin", expiresAt: new Date(Date.now() - 1000) });
    await refusedWith(`Bearer ${expired}`, "expired");
    const revoked = await token({ role: "admin", name: "to-revoke" });
    // Used twice: the second answer comes from the webserver's cache of verified tokens.
    expect((await call("GET", "/api/runs", revoked)).status).toBe(200);
    expect((await call("GET", "/api/runs", revoked)).status).toBe(200);
    // Revoked by another process (its own connections): the notice drops the cached token.
    const other = await h.db.openAnother();
    try {
      await other.auth.revokeToken("to-revoke", new Date());
    } finally {
      await other.close();
    }
    const started = Date.now();
    await waitFor(
      "the revoked token to be refused",
      async () => ((await call("GET", "/api/runs", revoked)).status === 401 ? true : undefined),
      5_000,
      10,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    await refusedWith(`Bearer ${revoked}`, "revoked");
  });

  it("refuses agent and run tokens on the user API as the wrong kind", async () => {
    await refusedWith(`Bearer ${await token({ role: "admin", kind: "agent" })}`, "wrong_kind");
    await refusedWith(
      `Bearer ${await token({ role: "admin", kind: "run", runId: existingRunId })}`,
      "wrong_kind",
    );
  });

  it("answers the probes and the API document without a token", async () => {
    for (const url of ["/api/health", "/api/ready", "/api/openapi.json"])
      expect((await call("GET", url, null)).status).toBe(200);
  });
});

describe("authorization (403)", () => {
  it("lets a viewer read and refuses it a launch, naming the permission", async () => {
    const viewer = await token({ role: "viewer" });
    expect((await call("GET", "/api/runs", viewer)).status).toBe(200);
    const response = await call("POST", "/api/runs", viewer, { location: "main", job: "sum_job" });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe("FORBIDDEN");
    expect(response.body.error.details.permission).toBe("runs.launch");
    expect(response.body.error.message).toContain('"runs.launch"');
  });

  it("lets a launcher launch but not start a schedule, and refuses a non-admin the audit log", async () => {
    const launcher = await token({ role: "launcher" });
    expect((await call("POST", "/api/runs", launcher, { location: "main", job: "sum_job" })).status).toBe(
      201,
    );
    const start = await call("POST", "/api/schedules/main/nightly_sum/start", launcher);
    expect(start.status).toBe(403);
    expect(start.body.error.details.permission).toBe("instigators.manage");
    const audit = await call("GET", "/api/audit", await token({ role: "editor" }));
    expect(audit.status).toBe(403);
    expect(audit.body.error.details.permission).toBe("audit.view");
  });

  it("holds a location grant to its location, for launches and for a run's reads", async () => {
    const mainLauncher = await token({ role: "launcher", location: "main" });
    expect((await call("POST", "/api/runs", mainLauncher, { location: "main", job: "sum_job" })).status).toBe(
      201,
    );
    expect((await call("GET", `/api/runs/${existingRunId}`, mainLauncher)).status).toBe(200);
    const financeLauncher = await token({ role: "launcher", location: "finance" });
    const elsewhere = await call("POST", "/api/runs", financeLauncher, { location: "main", job: "sum_job" });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error.message).toContain("location main");
    // Lists show only the caller's locations: none of main's runs for a launcher on finance.
    const runs = await call("GET", "/api/runs", financeLauncher);
    expect(runs.status).toBe(200);
    expect(runs.body.runs.map((r: { runId: string }) => r.runId)).not.toContain(existingRunId);
  });

  it("filters lists across locations to a location-scoped caller's locations, and keeps the others out of sight", async () => {
    const financeRunId = randomUUID();
    await h.db.storage.runs.createRun({
      runId: financeRunId,
      jobName: "totals",
      status: "NOT_STARTED",
      codeLocation: "finance",
    });
    const mainViewer = await token({ role: "viewer", location: "main" });
    const financeViewer = await token({ role: "viewer", location: "finance" });
    const list = async (url: string, bearer: string, key: string) => {
      const response = await call("GET", url, bearer);
      expect(response.status, `${url} ${JSON.stringify(response.body)}`).toBe(200);
      return response.body[key] as Record<string, unknown>[];
    };

    const mainRuns = await list("/api/runs?limit=200", mainViewer, "runs");
    expect(mainRuns.map((r) => r.runId)).toContain(existingRunId);
    expect(new Set(mainRuns.map((r) => r.codeLocation))).toEqual(new Set(["main"]));
    expect((await list("/api/runs?limit=200", financeViewer, "runs")).map((r) => r.runId)).toEqual([
      financeRunId,
    ]);
    // Filters and the location filter combine: a job of another location is simply absent.
    expect(await list("/api/runs?job=totals", mainViewer, "runs")).toEqual([]);
    expect((await list("/api/runs?limit=200", admin, "runs")).map((r) => r.runId)).toEqual(
      expect.arrayContaining([existingRunId, financeRunId]),
    );

    expect((await list("/api/locations", mainViewer, "locations")).map((l) => l.name)).toEqual(["main"]);
    expect(await list("/api/locations", financeViewer, "locations")).toEqual([]);
    for (const kind of ["schedules", "sensors"]) {
      const mine = await list(`/api/${kind}`, mainViewer, kind);
      expect(mine.length, kind).toBeGreaterThan(0);
      expect(new Set(mine.map((item) => item.location))).toEqual(new Set(["main"]));
      expect(await list(`/api/${kind}`, financeViewer, kind)).toEqual([]);
    }
    // Lists not filtered by location yet still need an instance-wide grant.
    for (const url of ["/api/assets", "/api/queue", "/api/daemon/health"])
      expect((await call("GET", url, mainViewer)).status, url).toBe(403);
  });

  it("answers a run in a location the caller cannot see exactly like a run that does not exist", async () => {
    const outsider = await token({ role: "admin", location: "finance" });
    for (const suffix of ["", "/events", "/logs"]) {
      const existing = await call("GET", `/api/runs/${existingRunId}${suffix}`, outsider);
      const missing = await call("GET", `/api/runs/00000000-0000-0000-0000-00000000dead${suffix}`, outsider);
      expect(existing.status).toBe(403);
      expect(missing).toEqual({ ...existing, headers: missing.headers });
    }
    const terminate = await call("POST", `/api/runs/${existingRunId}/terminate`, outsider);
    const terminateMissing = await call("POST", "/api/runs/nope/terminate", outsider);
    expect(terminate.status).toBe(403);
    expect(terminateMissing.body).toEqual(terminate.body);
  });

  it("refuses a location-scoped caller a location it has no grant on before looking the location up", async () => {
    const outsider = await token({ role: "admin", location: "finance" });
    const real = await call("GET", "/api/locations/main/jobs", outsider);
    const madeUp = await call("GET", "/api/locations/nowhere/jobs", outsider);
    expect(real.status).toBe(403);
    expect(madeUp.status).toBe(403);
  });
});

describe("audit log", () => {
  it("records allowed and denied mutating calls with who, what, which object, when and from where", async () => {
    const before = Date.now();
    const auditedLauncher = await token({ role: "launcher", name: "audited-launcher" });
    const launched = await call("POST", "/api/runs", auditedLauncher, { location: "main", job: "sum_job" });
    const denied = await call("POST", "/api/locations/main/reload", auditedLauncher);
    expect(denied.status).toBe(403);
    await call("POST", "/api/runs", null, { location: "main", job: "sum_job" });

    const entries = await waitFor("three audit entries", async () => {
      const response = await call("GET", "/api/audit?limit=50", admin);
      expect(response.status).toBe(200);
      // This test's callers only: earlier tests' calls may still be within the time window.
      const mine = response.body.entries.filter(
        (e: { at: string; actor: string }) =>
          Date.parse(e.at) >= before - 1000 && ["audited-launcher", "anonymous"].includes(e.actor),
      );
      const launcherEntries = mine.filter((e: { actor: string }) => e.actor === "audited-launcher");
      return launcherEntries.length >= 2 && mine.length >= 3 ? mine : undefined;
    });
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: "audited-launcher",
          actorKind: "user",
          action: "POST /api/runs",
          permission: "runs.launch",
          object: "job main/sum_job",
          decision: "allowed",
          statusCode: 201,
          address: expect.stringMatching(/127\.0\.0\.1/),
        }),
        expect.objectContaining({
          actor: "audited-launcher",
          action: "POST /api/locations/:name/reload",
          object: "location main",
          decision: "denied",
          statusCode: 403,
          reason: expect.stringContaining("FORBIDDEN"),
        }),
        expect.objectContaining({ actor: "anonymous", decision: "denied", statusCode: 401 }),
      ]),
    );
    expect(launched.status).toBe(201);
    // Reads are not audited.
    expect(entries.every((e: { action: string }) => !e.action.startsWith("GET "))).toBe(true);
  });

  it("filters the audit log by actor, action and decision, and refuses an unknown decision with 400", async () => {
    const filtering = await token({ role: "launcher", name: "audit-filtered" });
    await call("POST", "/api/runs", filtering, { location: "main", job: "sum_job" });
    await call("POST", "/api/locations/main/reload", filtering);
    const list = async (query: string) => {
      const response = await waitFor(`audit entries for ${query}`, async () => {
        const answer = await call("GET", `/api/audit?actor=audit-filtered&${query}`, admin);
        return answer.body.entries?.length > 0 ? answer : undefined;
      });
      expect(response.status).toBe(200);
      return response.body.entries.map(
        (e: { action: string; decision: string }) => `${e.decision} ${e.action}`,
      );
    };
    expect(await list("decision=denied")).toEqual(["denied POST /api/locations/:name/reload"]);
    expect(await list("action=/api/runs")).toEqual(["allowed POST /api/runs"]);
    const everyone = await call("GET", "/api/audit?actor=nobody-at-all", admin);
    expect(everyone.body.entries).toEqual([]);
    const bad = await call("GET", "/api/audit?decision=maybe", admin);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("decision");
  });
});

describe("tokens through the API", () => {
  it("lets an admin create a token shown once, list it without its secret, and revoke it", async () => {
    const created = await call("POST", "/api/tokens", admin, {
      name: "api-made",
      role: "launcher",
      location: "main",
      expiresInSeconds: 3600,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const secret: string = created.body.secret;
    expect(created.body.token).toMatchObject({
      name: "api-made",
      role: "launcher",
      location: "main",
      kind: "user",
    });
    expect(Date.parse(created.body.token.expiresAt) - Date.now()).toBeGreaterThan(3500_000);
    expect((await call("POST", "/api/runs", secret, { location: "main", job: "sum_job" })).status).toBe(201);

    const listed = await call("GET", "/api/tokens", admin);
    expect(listed.body.tokens.map((t: { name: string }) => t.name)).toContain("api-made");
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    const twice = await call("POST", "/api/tokens", admin, { name: "api-made", role: "viewer" });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe("TOKEN_NAME_TAKEN");

    const revoked = await call("POST", `/api/tokens/${created.body.token.id}/revoke`, admin);
    expect(revoked.status).toBe(200);
    expect(revoked.body.token.revokedAt).not.toBeNull();
    const after = await waitFor(
      "the revoked token to be refused",
      async () => {
        const response = await call("GET", "/api/runs", secret);
        return response.status === 401 ? response : undefined;
      },
      5_000,
      10,
    );
    expect(after.body.error.details.reason).toBe("revoked");
    expect((await call("POST", "/api/tokens/api-made/revoke", admin)).status).toBe(404);
  });

  it("refuses token management to an editor and a bad token request with the field at fault", async () => {
    const editor = await token({ role: "editor" });
    const refused = await call("POST", "/api/tokens", editor, { name: "sneaky", role: "admin" });
    expect(refused.status).toBe(403);
    expect(refused.body.error.details.permission).toBe("tokens.manage");
    expect((await call("GET", "/api/tokens", editor)).status).toBe(403);
    const bad = await call("POST", "/api/tokens", admin, { name: "has space", role: "owner" });
    expect(bad.status).toBe(400);
    const fields = bad.body.error.details.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(expect.arrayContaining(["body.name"]));
  });
});

describe("secrets stay secret", () => {
  it("never writes a token to the log, the audit log or a response", async () => {
    const secret = await token({ role: "viewer", name: "logged-token" });
    await call("GET", "/api/runs", secret);
    await call("POST", "/api/runs", secret, { location: "main", job: "sum_job" });
    await call("GET", "/api/runs", `${secret}x`);
    const me = await call("GET", "/api/auth/me", secret);
    expect(me.body).toMatchObject({ authEnabled: true, name: "logged-token", kind: "user" });
    expect(JSON.stringify(me.body)).not.toContain(secret);
    const audit = await call("GET", "/api/audit?limit=1000", admin);
    expect(JSON.stringify(audit.body)).not.toContain(secret);
    expect(JSON.stringify(audit.body)).not.toContain(admin);
    expect(logLines.length).toBeGreaterThan(5);
    const log = logLines.join("");
    expect(log).not.toContain(secret);
    expect(log).not.toContain(secret.slice(-20));
    expect(log).not.toContain(admin);
  });
});

describe("auth off", () => {
  it("answers every caller as an anonymous admin and audits nothing", async () => {
    const me = await h.api("GET", "/api/auth/me");
    expect(me.body).toEqual({
      authEnabled: false,
      name: "anonymous",
      kind: "anonymous",
      email: null,
      csrfToken: null,
      signInAvailable: false,
      locationPermissions: {},
      grants: [{ role: "admin", location: null }],
      instancePermissions: expect.arrayContaining(["view", "runs.launch", "audit.view"]),
    });
    expect((await h.api("POST", "/api/runs", { location: "main", job: "sum_job" })).status).toBe(201);
    // A later audited call on the secured server, waited for, so an entry the launch would have made
    // (written after its answer) would be there by then; other tests' entries are told apart by actor.
    await call("POST", "/api/tokens/no-such-token-barrier/revoke", admin);
    await waitFor("the barrier call's audit entry", async () => {
      const entries = await h.db.storage.auth.listAudit({ limit: 50, action: "/api/tokens/:id/revoke" });
      return entries.some((e) => e.statusCode === 404) ? true : undefined;
    });
    const anonymousLaunches = await h.db.storage.auth.listAudit({
      limit: 1000,
      actor: "anonymous",
      decision: "allowed",
    });
    expect(anonymousLaunches).toEqual([]);
  });

  it("refuses to listen on an address other machines can reach unless anonymous access is allowed", async () => {
    await expect(h.startAnother({ host: "0.0.0.0" })).rejects.toThrow(AnonymousBindError);
    await expect(h.startAnother({ host: "::" })).rejects.toThrow(/--insecure-allow-anonymous/);
  });
});
