import type { OidcSettings } from "@bosun/instance";
import { describe, expect, it } from "vitest";
import { decodePendingSignIn, encodePendingSignIn, OidcConfigError, OidcSignIn } from "./oidc-sign-in.ts";

const SETTINGS: OidcSettings = {
  issuer: "https://idp.example.com/realms/acme",
  clientId: "bosun",
  clientSecretEnv: "BOSUN_OIDC_CLIENT_SECRET",
  scopes: ["openid", "email"],
  usernameClaim: "email",
};

describe("OidcSignIn.fromEnvironment", () => {
  it("refuses to start without the client secret, naming the variable and not guessing one", () => {
    expect(() => OidcSignIn.fromEnvironment(SETTINGS, {})).toThrow(OidcConfigError);
    expect(() => OidcSignIn.fromEnvironment(SETTINGS, { BOSUN_OIDC_CLIENT_SECRET: "" })).toThrow(
      /auth\.oidc\.client_secret_env: environment variable BOSUN_OIDC_CLIENT_SECRET is not set/,
    );
    expect(OidcSignIn.fromEnvironment(SETTINGS, { BOSUN_OIDC_CLIENT_SECRET: "s" })).toBeInstanceOf(
      OidcSignIn,
    );
  });

  it("allows a plain-http issuer only on loopback", () => {
    const env = { BOSUN_OIDC_CLIENT_SECRET: "s" };
    expect(() => OidcSignIn.fromEnvironment({ ...SETTINGS, issuer: "http://idp.example.com" }, env)).toThrow(
      /auth\.oidc\.issuer: .* must be https/,
    );
    expect(OidcSignIn.fromEnvironment({ ...SETTINGS, issuer: "http://127.0.0.1:9000" }, env)).toBeInstanceOf(
      OidcSignIn,
    );
  });
});

describe("the pending sign-in cookie", () => {
  it("round-trips, and anything else is no pending sign-in", () => {
    const pending = { state: "s", nonce: "n", verifier: "v" };
    expect(decodePendingSignIn(encodePendingSignIn(pending))).toEqual(pending);
    expect(decodePendingSignIn(undefined)).toBeNull();
    expect(decodePendingSignIn("not-json")).toBeNull();
    expect(decodePendingSignIn(Buffer.from('{"state":1}').toString("base64url"))).toBeNull();
  });
});
