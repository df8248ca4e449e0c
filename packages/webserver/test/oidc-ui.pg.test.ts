import { AUTH_DISABLED } from "@bosun/instance";
import { type Browser, ensureUiBuilt, openBrowser, UI_DIST } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningWebserver } from "../src/index.ts";
import { startTestOidcProvider, type TestOidcProvider } from "./support/oidc-test-provider.ts";
import { startWebserverHarness, type WebserverHarness } from "./support/webserver-harness.ts";

/**
 * The UI with sign-in, in headless Chromium against a real provider: a browser without a session sees
 * the sign-in page, signs in at the provider, sees its name and role in the sidebar, and signs out (a
 * mutating call the UI must send with the session's CSRF token). An admin manages API tokens and reads
 * the audit log; other roles do not see those pages.
 */

const CLIENT_SECRET = "ui-test-client-secret-7a2b9c";

let h: WebserverHarness;
let provider: TestOidcProvider;
let web: RunningWebserver;
let browser: Browser;

beforeAll(async () => {
  await ensureUiBuilt();
  h = await startWebserverHarness();
  provider = await startTestOidcProvider({
    alice: { email: "alice@example.com", groups: ["platform"] },
    victor: { email: "victor@example.com", groups: ["analysts"] },
  });
  web = await h.startAnother({
    uiDirectory: UI_DIST,
    auth: {
      ...AUTH_DISABLED,
      enabled: true,
      oidc: {
        issuer: provider.issuer,
        clientId: "bosun",
        clientSecretEnv: "UI_TEST_OIDC_SECRET",
        scopes: ["openid", "email", "groups"],
        usernameClaim: "email",
      },
      roleMapping: [
        { claim: "groups", value: "platform", grant: { role: "admin", location: null } },
        { claim: "groups", value: "analysts", grant: { role: "viewer", location: null } },
      ],
    },
    env: { UI_TEST_OIDC_SECRET: CLIENT_SECRET },
  });
  provider.configure([{ id: "bosun", secret: CLIENT_SECRET, redirectUri: `${web.url}/auth/callback` }]);
  browser = await openBrowser();
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await h?.close();
  await provider?.close();
});

/**
 * Signs `login` in from the UI's sign-in page through the provider's development login and consent pages,
 * from a browser without cookies (a session left at the provider would skip its login page).
 */
async function signIn(login: string) {
  await browser.context.clearCookies();
  const page = await browser.newPage();
  await page.goto(web.url);
  await page.getByRole("heading", { name: "Sign in to Bosun" }).waitFor();
  await page.getByRole("link", { name: "Sign in with your identity provider" }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("x");
  await page.locator('button[type="submit"]').click();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL(`${web.url}/`);
  return page;
}

describe("the UI with sign-in", () => {
  it("hides controls the role cannot use: a viewer sees no Reload button, an admin does", async () => {
    const viewer = await signIn("victor");
    await viewer.locator(".signed-in-user").getByText("victor@example.com").waitFor();
    await viewer.goto(`${web.url}/locations`);
    await viewer.getByRole("heading", { name: /main/ }).first().waitFor();
    // Who is calling is known on this page too (controls stay hidden until it is, so wait for it).
    await viewer.locator(".signed-in-user").getByText("viewer").waitFor();
    expect(await viewer.getByRole("button", { name: "Reload main" }).count()).toBe(0);
    await viewer.close();
    await browser.context.clearCookies();
    const admin = await signIn("alice");
    await admin.goto(`${web.url}/locations`);
    await admin.getByRole("button", { name: "Reload main" }).waitFor();
    await admin.close();
    await browser.context.clearCookies();
  }, 60_000);

  it("shows the sign-in page, signs in through the provider, shows the user, and signs out", async () => {
    const page = await signIn("alice");
    const user = page.locator(".signed-in-user");
    await user.getByText("alice@example.com").waitFor();
    expect(await user.textContent()).toContain("admin");
    await user.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in to Bosun" }).waitFor();
    const cookies = await browser.context.cookies(web.url);
    expect(cookies.find((c) => c.name === "bosun_session")).toBeUndefined();
    await page.close();
  }, 60_000);
});

/** A JSON call with a bearer token, as a script would make it. */
async function withToken(method: string, pathname: string, secret: string, body?: unknown) {
  const response = await fetch(`${web.url}${pathname}`, {
    method,
    headers: {
      authorization: `Bearer ${secret}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

describe("the admin pages", () => {
  it("shows a viewer neither API tokens nor the audit log, and says so at their addresses", async () => {
    const viewer = await signIn("victor");
    await viewer.locator(".signed-in-user").getByText("viewer").waitFor();
    const nav = viewer.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Runs" }).waitFor();
    expect(await nav.getByRole("link", { name: "API tokens" }).count()).toBe(0);
    expect(await nav.getByRole("link", { name: "Audit log" }).count()).toBe(0);
    for (const pathname of ["/tokens", "/audit"]) {
      await viewer.goto(`${web.url}${pathname}`);
      await viewer.getByText("Admins only").waitFor();
      expect(await viewer.locator("table").count()).toBe(0);
    }
    await viewer.close();
    await browser.context.clearCookies();
  }, 60_000);

  it("lets an admin create a token, shown once with a copy button, that works, and revoke it after confirming", async () => {
    await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: web.url });
    const page = await signIn("alice");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API tokens" }).click();
    await page.getByRole("heading", { name: "Create a token" }).waitFor();
    await page.getByLabel("Name").fill("ui-made");
    await page.getByLabel("Role").selectOption("launcher");
    await page.getByLabel("Location").selectOption("main");
    await page.getByLabel("Expires after").selectOption("30d");
    await page.getByRole("button", { name: "Create token" }).click();

    const secretBox = page.getByLabel("New token secret");
    await secretBox.waitFor();
    const secret = await secretBox.inputValue();
    expect(secret).toMatch(/^bosun_user_/);
    await page.getByRole("button", { name: "Copy" }).click();
    await page.getByRole("button", { name: "Copied" }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

    // The secret works, as a launcher on main only.
    const me = await withToken("GET", "/api/auth/me", secret);
    expect(me.body).toMatchObject({ name: "ui-made", grants: [{ role: "launcher", location: "main" }] });

    const row = page.locator('tr[data-token="ui-made"]');
    await row.waitFor();
    const cells = await row.locator("td").allTextContents();
    expect(cells.slice(1, 4)).toEqual(["launcher", "user", "main"]);
    expect(cells[5]).toMatch(/in (30|29) days/);
    expect(cells[0]).toContain("by alice@example.com");

    // Shown once: gone after Done, and nowhere on the page after a reload.
    await page.getByRole("button", { name: "Done" }).click();
    await page.getByRole("heading", { name: "Create a token" }).waitFor();
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(secret);

    // Revoking asks first; cancelling keeps the token.
    await row.getByRole("button", { name: "Revoke ui-made" }).click();
    await row.getByRole("button", { name: "Cancel" }).click();
    expect((await withToken("GET", "/api/auth/me", secret)).status).toBe(200);
    await row.getByRole("button", { name: "Revoke ui-made" }).click();
    await row.getByText("Whatever uses it stops working at once").waitFor();
    await row.getByRole("button", { name: "Yes, revoke" }).click();
    await row.waitFor({ state: "detached" });
    const refused = await withToken("GET", "/api/auth/me", secret);
    expect(refused.status).toBe(401);
    expect(refused.body.error.details.reason).toBe("revoked");
    await page.getByLabel("Show revoked").check();
    await row.getByText(/^revoked/).waitFor();
    await page.close();
    await browser.context.clearCookies();
  }, 90_000);

  it("shows the admin a launcher token's launch in the audit log with its actor, filtered and paged", async () => {
    const { secret } = await h.db.storage.auth.createToken({
      name: "nightly-ci",
      kind: "user",
      role: "launcher",
    });
    const launched = await withToken("POST", "/api/runs", secret, { location: "main", job: "sum_job" });
    expect(launched.status, JSON.stringify(launched.body)).toBe(201);
    const denied = await withToken("POST", "/api/locations/main/reload", secret);
    expect(denied.status).toBe(403);
    // 55 older entries of another actor, to page through.
    for (let i = 0; i < 55; i++)
      await h.db.storage.auth.appendAudit({
        at: new Date(Date.now() - 3_600_000 + i),
        actor: "paged-bot",
        actorKind: "user",
        action: `POST /api/paged/${i}`,
        permission: null,
        object: null,
        address: null,
        decision: "allowed",
        statusCode: 200,
        reason: null,
      });

    const page = await signIn("alice");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
    await page.getByRole("heading", { name: "Audit log" }).waitFor();
    await page.getByLabel("Actor").fill("nightly-ci");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/actor=nightly-ci/);
    const launch = page.locator("tbody tr").filter({ hasText: "POST /api/runs" });
    await launch.waitFor();
    const cells = await launch.locator("td").allTextContents();
    expect(cells[1]).toContain("nightly-ci");
    expect(cells[2]).toContain("needs runs.launch");
    expect(cells[3]).toBe("job main/sum_job");
    expect(cells[4]).toContain("allowed · 201");
    // Newest first: the refused reload came after the launch.
    const actions = await page.locator("tbody tr td:nth-child(3) code").allTextContents();
    expect(actions).toEqual(["POST /api/locations/:name/reload", "POST /api/runs"]);

    await page.getByLabel("Outcome").selectOption("denied");
    await page.waitForURL(/decision=denied/);
    await page
      .locator("tbody tr")
      .filter({ hasText: "POST /api/runs" })
      .first()
      .waitFor({ state: "detached" });
    expect(await page.locator("tbody tr").count()).toBe(1);
    expect(await page.locator("tbody tr").first().textContent()).toContain("denied · 403");

    // Paged, 50 at a time, newest first.
    await page.goto(`${web.url}/audit?actor=paged-bot`);
    await page.locator("tbody tr").first().getByText("POST /api/paged/54").waitFor();
    expect(await page.locator("tbody tr").count()).toBe(50);
    await page.getByRole("button", { name: "Older →" }).click();
    await page.locator("tbody tr").first().getByText("POST /api/paged/4").waitFor();
    expect(await page.locator("tbody tr").count()).toBe(5);
    expect(await page.getByRole("button", { name: "Older →" }).isDisabled()).toBe(true);
    await page.getByRole("button", { name: "← Newer" }).click();
    await page.locator("tbody tr").first().getByText("POST /api/paged/54").waitFor();
    await page.close();
    await browser.context.clearCookies();
  }, 90_000);
});
