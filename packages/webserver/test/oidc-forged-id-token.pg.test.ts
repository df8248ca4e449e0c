import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { AUTH_DISABLED } from "@bosun/instance";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningWebserver } from "../src/index.ts";
import { TestBrowser } from "./support/browser.ts";
import { startTestOidcProvider, type TestOidcProvider } from "./support/oidc-test-provider.ts";
import { startWebserverHarness, type WebserverHarness } from "./support/webserver-harness.ts";

/**
 * Sign-in refuses an ID token it must not trust, even when everything else in the answer is right: the
 * provider signs with a key this test holds, and the token endpoint's answer is rewritten on its way to
 * the webserver (as a rogue provider or a man in the middle would) into an ID token signed by another
 * key, or properly signed but for another audience, with another nonce, from another issuer, or expired.
 */

const CLIENT_SECRET = "forged-test-client-secret-2d7e";

const providerKeys = generateKeyPairSync("rsa", { modulusLength: 2048 });
const strangerKeys = generateKeyPairSync("rsa", { modulusLength: 2048 });
const KID = "test-signing-key";

let h: WebserverHarness;
let provider: TestOidcProvider;
let web: RunningWebserver;

beforeAll(async () => {
  h = await startWebserverHarness();
  provider = await startTestOidcProvider({ alice: { email: "alice@example.com", groups: ["platform"] } });
  web = await h.startAnother({
    auth: {
      ...AUTH_DISABLED,
      enabled: true,
      oidc: {
        issuer: provider.issuer,
        clientId: "bosun",
        clientSecretEnv: "FORGED_TEST_OIDC_SECRET",
        scopes: ["openid", "email", "groups"],
        usernameClaim: "email",
      },
      roleMapping: [{ claim: "groups", value: "platform", grant: { role: "admin", location: null } }],
    },
    env: { FORGED_TEST_OIDC_SECRET: CLIENT_SECRET },
  });
  provider.configure([{ id: "bosun", secret: CLIENT_SECRET, redirectUri: `${web.url}/auth/callback` }], {
    signingKey: { ...providerKeys.privateKey.export({ format: "jwk" }), kid: KID, alg: "RS256", use: "sig" },
  });
}, 180_000);
afterAll(async () => {
  await h?.close();
  await provider?.close();
});

/** The parts of a compact JWS, decoded. */
function decode(jwt: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header = "", payload = ""] = jwt.split(".");
  return {
    header: JSON.parse(Buffer.from(header, "base64url").toString("utf8")),
    payload: JSON.parse(Buffer.from(payload, "base64url").toString("utf8")),
  };
}

/** An RS256 JWS over `payload`, signed with `key` (what a forger with that key would send). */
function signJwt(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${sign("sha256", Buffer.from(input), key).toString("base64url")}`;
}

/** Signs in with the token endpoint's ID token rewritten by `forge`; answers the callback. */
async function signInWith(forge: ((token: string) => string) | null) {
  provider.tamperIdToken = forge ? async (token) => forge(token) : null;
  try {
    const browser = new TestBrowser();
    const callbackUrl = await browser.signInUntil(
      `${web.url}/auth/login`,
      "alice",
      `${web.url}/auth/callback`,
    );
    const callback = await browser.request("GET", callbackUrl);
    const text = await callback.text();
    return {
      status: callback.status,
      body: text ? JSON.parse(text) : null,
      session: browser.cookie(web.url, "bosun_session"),
    };
  } finally {
    provider.tamperIdToken = null;
  }
}

/** Re-signs the real token's claims, changed by `change`, with the provider's own key. */
const resigned =
  (change: (payload: Record<string, unknown>) => Record<string, unknown>) =>
  (token: string): string => {
    const { header, payload } = decode(token);
    return signJwt(header, change(payload), providerKeys.privateKey);
  };

describe("a forged ID token at sign-in", () => {
  it("signs in when the token is re-signed unchanged with the provider's key (the forging works)", async () => {
    const result = await signInWith(resigned((payload) => payload));
    expect(result.status).toBe(303);
    expect(result.session).toBeTruthy();
  });

  const forgeries: Record<string, (token: string) => string> = {
    "signed by another key under the provider's key id": (token) => {
      const { header, payload } = decode(token);
      return signJwt(header, payload, strangerKeys.privateKey);
    },
    "for another audience": resigned((payload) => ({ ...payload, aud: "some-other-client" })),
    "with another nonce": resigned((payload) => ({ ...payload, nonce: "a-nonce-from-another-sign-in" })),
    "from another issuer": resigned((payload) => ({ ...payload, iss: "https://evil.example.com" })),
    "that has expired": resigned((payload) => ({
      ...payload,
      iat: Math.floor(Date.now() / 1000) - 7200,
      exp: Math.floor(Date.now() / 1000) - 3600,
    })),
    "with its claims changed after signing": (token) => {
      const [header, , signature] = token.split(".");
      const { payload } = decode(token);
      const changed = Buffer.from(JSON.stringify({ ...payload, sub: "mallory" })).toString("base64url");
      return `${header}.${changed}.${signature}`;
    },
  };

  for (const [what, forge] of Object.entries(forgeries)) {
    it(`refuses an ID token ${what} with 401 sign_in_failed, and starts no session`, async () => {
      const result = await signInWith(forge);
      expect(result.status, JSON.stringify(result.body)).toBe(401);
      expect(result.body.error.details.reason).toBe("sign_in_failed");
      expect(result.session).toBeUndefined();
    });
  }
});
