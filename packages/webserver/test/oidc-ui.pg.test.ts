import { AUTH_DISABLED } from "@bosun/instance";
import { type Browser, ensureUiBuilt, openBrowser, UI_DIST } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningWebserver } from "../src/index.ts";
import { startTestOidcProvider, type TestOidcProvider } from "./support/oidc-test-provider.ts";
import { startWebserverHarness, type WebserverHarness } from "./support/webserver-harness.ts";

/**
 * The UI with sign-in, in headless Chromium against a real provider: a browser without a session sees
 * the sign-in page, signs in at the provider, sees its name and role in the sidebar, and signs out (a
 * mutating call the UI must send with the session's CSRF token).
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

/** Signs `login` in from the UI's sign-in page through the provider's development login and consent pages. */
async function signIn(login: string) {
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
