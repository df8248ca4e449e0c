import { AUTH_DISABLED, type AuthSettings } from "@bosun/instance";
import { calculatePKCECodeChallenge } from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodePendingSignIn } from "../src/auth/oidc-sign-in.ts";
import type { RunningWebserver } from "../src/index.ts";
import { TestBrowser } from "./support/browser.ts";
import { startTestOidcProvider, type TestOidcProvider } from "./support/oidc-test-provider.ts";
import { startWebserverHarness, type WebserverHarness } from "./support/webserver-harness.ts";

/**
 * Sign-in through OpenID Connect against a real provider (npm `oidc-provider`, in this process): the
 * authorization-code flow with PKCE, roles from the groups claim, server-side sessions, CSRF on
 * cookie-authenticated mutating calls, sign-out, and no secret or session id in the log.
 */

const CLIENT_SECRET = "test-client-secret-0f4c2a9e7b1d";
const OTHER_SECRET = "other-client-secret-5e8d1c3b";
const USERS = {
  alice: { email: "alice@example.com", groups: ["platform"] },
  victor: { email: "victor@example.com", groups: ["analysts"] },
  nobody: { email: "nobody@example.com", groups: ["visitors"] },
};

let h: WebserverHarness;
let provider: TestOidcProvider;
let web: RunningWebserver;
const logLines: string[] = [];

function authSettings(issuer: string): AuthSettings {
  return {
    ...AUTH_DISABLED,
    enabled: true,
    oidc: {
      issuer,
      clientId: "bosun",
      clientSecretEnv: "TEST_OIDC_CLIENT_SECRET",
      scopes: ["openid", "email", "groups"],
      usernameClaim: "email",
    },
    roleMapping: [
      { claim: "groups", value: "platform", grant: { role: "admin", location: null } },
      { claim: "groups", value: "analysts", grant: { role: "viewer", location: null } },
    ],
    defaultRole: null,
  };
}

beforeAll(async () => {
  h = await startWebserverHarness();
  provider = await startTestOidcProvider(USERS);
  web = await h.startAnother({
    auth: authSettings(provider.issuer),
    env: { TEST_OIDC_CLIENT_SECRET: CLIENT_SECRET },
    logger: { level: "trace", stream: { write: (line: string) => void logLines.push(line) } },
  });
  provider.configure([
    { id: "bosun", secret: CLIENT_SECRET, redirectUri: `${web.url}/auth/callback` },
    { id: "other", secret: OTHER_SECRET, redirectUri: `${web.url}/auth/callback` },
  ]);
}, 60_000);
afterAll(async () => {
  await h?.close();
  await provider?.close();
});

const sessionIds: string[] = [];
const codes: string[] = [];

/** Signs `login` in through the provider; the browser then holds the session cookie. */
async function signIn(login: keyof typeof USERS): Promise<{ browser: TestBrowser; callback: Response }> {
  const browser = new TestBrowser();
  const callbackUrl = await browser.signInUntil(`${web.url}/auth/login`, login, `${web.url}/auth/callback`);
  codes.push(callbackUrl.searchParams.get("code") ?? "");
  const callback = await browser.request("GET", callbackUrl);
  const session = browser.cookie(web.url, "bosun_session");
  if (session) sessionIds.push(session);
  return { browser, callback };
}

async function json(response: Response) {
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

describe("sign-in", () => {
  it("gives a session with the role the groups claim maps to, and /api/auth/me shows the user", async () => {
    const { browser, callback } = await signIn("alice");
    expect(callback.status).toBe(303);
    expect(callback.headers.get("location")).toBe(`${web.url}/`);
    expect(browser.cookie(web.url, "bosun_session")).toMatch(/^bosun_session_/);
    // The pending sign-in cookie is gone once used.
    expect(browser.cookie(web.url, "bosun_sign_in")).toBeUndefined();
    const me = await browser.request("GET", `${web.url}/api/auth/me`);
    expect(me.status).toBe(200);
    const body = await json(me);
    expect(body).toMatchObject({
      authEnabled: true,
      name: "alice@example.com",
      kind: "session",
      email: "alice@example.com",
      grants: [{ role: "admin", location: null }],
      signInAvailable: true,
    });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("sets the session cookie HttpOnly and SameSite=Lax, not Secure over plain http", async () => {
    const { browser } = await signIn("victor");
    const header = browser.setCookies.find((c) => c.startsWith("bosun_session=bosun_session_"));
    expect(header).toBeDefined();
    expect(header).toMatch(/; HttpOnly/i);
    expect(header).toMatch(/; SameSite=Lax/i);
    expect(header).toMatch(/; Path=\//i);
    expect(header).not.toMatch(/; Secure/i);
  });

  it("sets Secure cookies when the public URL is https", async () => {
    const secure = await h.startAnother({
      auth: authSettings(provider.issuer),
      env: { TEST_OIDC_CLIENT_SECRET: CLIENT_SECRET },
      publicUrl: "https://bosun.example.com",
    });
    const browser = new TestBrowser();
    const login = await browser.request("GET", `${secure.url}/auth/login`);
    expect(login.status).toBe(303);
    const redirect = new URL(login.headers.get("location") ?? "");
    expect(redirect.searchParams.get("redirect_uri")).toBe("https://bosun.example.com/auth/callback");
    expect(redirect.searchParams.get("code_challenge_method")).toBe("S256");
    const header = browser.setCookies.find((c) => c.startsWith("bosun_sign_in="));
    expect(header).toMatch(/; Secure/i);
    expect(header).toMatch(/; HttpOnly/i);
    expect(header).toMatch(/; SameSite=Lax/i);
  });

  it("refuses a user no role_mapping matches with a 403 naming them", async () => {
    const { browser, callback } = await signIn("nobody");
    expect(callback.status).toBe(403);
    const body = await json(callback);
    expect(body.error.code).toBe("FORBIDDEN");
    expect(body.error.details.reason).toBe("no_role");
    expect(body.error.message).toContain("nobody@example.com");
    expect(browser.cookie(web.url, "bosun_session")).toBeUndefined();
  });

  it("refuses a callback whose state was tampered with, and starts no session", async () => {
    const browser = new TestBrowser();
    const callbackUrl = await browser.signInUntil(
      `${web.url}/auth/login`,
      "alice",
      `${web.url}/auth/callback`,
    );
    callbackUrl.searchParams.set("state", "forged-state");
    const callback = await browser.request("GET", callbackUrl);
    expect(callback.status).toBe(401);
    expect((await json(callback)).error.details.reason).toBe("sign_in_failed");
    expect(browser.cookie(web.url, "bosun_session")).toBeUndefined();
  });

  it("refuses a callback without the browser's sign-in cookie (login started elsewhere)", async () => {
    const browser = new TestBrowser();
    const callbackUrl = await browser.signInUntil(
      `${web.url}/auth/login`,
      "alice",
      `${web.url}/auth/callback`,
    );
    const stranger = new TestBrowser();
    const callback = await stranger.request("GET", callbackUrl);
    expect(callback.status).toBe(401);
    expect(stranger.cookie(web.url, "bosun_session")).toBeUndefined();
  });

  it("refuses a code the provider issued to another client", async () => {
    const browser = new TestBrowser();
    const login = await browser.request("GET", `${web.url}/auth/login`);
    expect(login.status).toBe(303);
    const pending = decodePendingSignIn(browser.cookie(web.url, "bosun_sign_in"));
    expect(pending).not.toBeNull();
    // Same state, nonce and PKCE challenge as the webserver's own request: only the client differs.
    const foreign = new URL(login.headers.get("location") ?? "");
    foreign.searchParams.set("client_id", "other");
    foreign.searchParams.set("code_challenge", await calculatePKCECodeChallenge(pending!.verifier));
    const callbackUrl = await browser.signInUntil(foreign.href, "alice", `${web.url}/auth/callback`);
    expect(callbackUrl.searchParams.get("code")).toBeTruthy();
    const callback = await browser.request("GET", callbackUrl);
    expect(callback.status).toBe(401);
    expect((await json(callback)).error.details.reason).toBe("sign_in_failed");
    expect(browser.cookie(web.url, "bosun_session")).toBeUndefined();
  });

  it("refuses a code used twice", async () => {
    const browser = new TestBrowser();
    const callbackUrl = await browser.signInUntil(
      `${web.url}/auth/login`,
      "alice",
      `${web.url}/auth/callback`,
    );
    const pendingCookie = browser.cookie(web.url, "bosun_sign_in") ?? "";
    expect((await browser.request("GET", callbackUrl)).status).toBe(303);
    const replay = new TestBrowser();
    replay.setCookie(web.url, "bosun_sign_in", pendingCookie);
    const again = await replay.request("GET", callbackUrl);
    expect(again.status).toBe(401);
    expect(replay.cookie(web.url, "bosun_session")).toBeUndefined();
  });
});

describe("sessions: roles, CSRF, sign-out", () => {
  async function csrfOf(browser: TestBrowser): Promise<string> {
    return (await json(await browser.request("GET", `${web.url}/api/auth/me`))).csrfToken;
  }
  const launch = (browser: TestBrowser, headers: Record<string, string> = {}) =>
    browser.request("POST", `${web.url}/api/runs`, {
      body: JSON.stringify({ location: "main", job: "sum_job" }),
      headers: { "content-type": "application/json", ...headers },
    });

  it("refuses a viewer's launch with 403 naming the permission", async () => {
    const { browser } = await signIn("victor");
    const response = await launch(browser, { "x-bosun-csrf": await csrfOf(browser) });
    expect(response.status).toBe(403);
    const body = await json(response);
    expect(body.error.code).toBe("FORBIDDEN");
    expect(body.error.details.permission).toBe("runs.launch");
    expect(body.error.message).toContain("victor@example.com");
  });

  it("refuses a cookie-authenticated mutating call without the CSRF header, allows it with it, and audits the user", async () => {
    const { browser } = await signIn("alice");
    const missing = await launch(browser);
    expect(missing.status).toBe(403);
    const missingBody = await json(missing);
    expect(missingBody.error.code).toBe("FORBIDDEN");
    expect(missingBody.error.details.reason).toBe("csrf_missing");
    const wrong = await launch(browser, { "x-bosun-csrf": "A".repeat(43) });
    expect(wrong.status).toBe(403);
    expect((await json(wrong)).error.details.reason).toBe("csrf_mismatch");
    const allowed = await launch(browser, { "x-bosun-csrf": await csrfOf(browser) });
    expect(allowed.status, JSON.stringify(await allowed.clone().json())).toBe(201);
    const audit = await h.db.storage.auth.listAudit({ limit: 20 });
    const entries = audit.filter((e) => e.action === "POST /api/runs" && e.actor === "alice@example.com");
    expect(entries.map((e) => [e.actorKind, e.decision, e.statusCode])).toEqual(
      expect.arrayContaining([
        ["session", "allowed", 201],
        ["session", "denied", 403],
      ]),
    );
  });

  it("a CSRF token of another session does not do", async () => {
    const first = await signIn("alice");
    const second = await signIn("alice");
    const response = await launch(first.browser, { "x-bosun-csrf": await csrfOf(second.browser) });
    expect(response.status).toBe(403);
  });

  it("sign-out revokes the session: the old cookie then gets 401", async () => {
    const { browser } = await signIn("alice");
    const cookie = browser.cookie(web.url, "bosun_session") ?? "";
    const withoutCsrf = await browser.request("POST", `${web.url}/auth/logout`);
    expect(withoutCsrf.status).toBe(403);
    const out = await browser.request("POST", `${web.url}/auth/logout`, {
      headers: { "x-bosun-csrf": await csrfOf(browser) },
    });
    expect(out.status).toBe(204);
    expect(browser.cookie(web.url, "bosun_session")).toBeUndefined();
    const stale = new TestBrowser();
    stale.setCookie(web.url, "bosun_session", cookie);
    const me = await stale.request("GET", `${web.url}/api/auth/me`);
    expect(me.status).toBe(401);
    expect((await json(me)).error.details.reason).toBe("session_revoked");
  });

  it("lets an admin revoke every session of a user; a viewer may not", async () => {
    const admin = await signIn("alice");
    const victim = await signIn("victor");
    const byViewer = await victim.browser.request("POST", `${web.url}/api/users/victor/sessions/revoke`, {
      headers: { "x-bosun-csrf": await csrfOf(victim.browser) },
    });
    expect(byViewer.status).toBe(403);
    expect((await json(byViewer)).error.details.permission).toBe("grants.manage");
    const revoked = await admin.browser.request("POST", `${web.url}/api/users/victor/sessions/revoke`, {
      headers: { "x-bosun-csrf": await csrfOf(admin.browser) },
    });
    expect(revoked.status).toBe(200);
    expect((await json(revoked)).revoked).toBeGreaterThanOrEqual(1);
    expect((await victim.browser.request("GET", `${web.url}/api/auth/me`)).status).toBe(401);
    expect((await admin.browser.request("GET", `${web.url}/api/auth/me`)).status).toBe(200);
  });

  it("a bearer token needs no CSRF header, and a bearer header wins over a session cookie", async () => {
    const { secret } = await h.db.storage.auth.createToken({
      name: "oidc-test-launcher",
      kind: "user",
      role: "launcher",
    });
    const { browser } = await signIn("victor");
    const response = await launch(browser, { authorization: `Bearer ${secret}` });
    expect(response.status).toBe(201);
  });
});

describe("secrets", () => {
  it("writes neither the client secret, nor any session id, nor an authorization code to the log", () => {
    expect(logLines.length).toBeGreaterThan(10);
    expect(sessionIds.length).toBeGreaterThan(3);
    const log = logLines.join("\n");
    expect(log).not.toContain(CLIENT_SECRET);
    for (const id of sessionIds) expect(log).not.toContain(id);
    expect(log).not.toContain("bosun_session_");
    expect(codes.filter((code) => code.length > 10).length).toBeGreaterThan(3);
    for (const code of codes) expect(log).not.toContain(code);
    // The callback's requests are logged, with the code redacted.
    expect(log).toContain("/auth/callback?code=%5Bredacted%5D");
  });
});
