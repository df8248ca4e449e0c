import { configProblems } from "@bosun/test-support";
import { describe, expect, it } from "vitest";
import { AUTH_DISABLED, AuthConfigError, parseAuthSettings } from "./auth-config.ts";

function problems(raw: Record<string, unknown>): readonly string[] {
  return configProblems(AuthConfigError, () => parseAuthSettings(raw));
}

describe("auth section of bosun.yaml", () => {
  it("is off when absent, null or empty", () => {
    expect(parseAuthSettings({})).toEqual(AUTH_DISABLED);
    expect(parseAuthSettings({ auth: null })).toEqual(AUTH_DISABLED);
    expect(parseAuthSettings({ auth: {} })).toEqual(AUTH_DISABLED);
  });

  it("reads OIDC settings, adds the openid scope, and turns role mappings into grants", () => {
    const settings = parseAuthSettings({
      auth: {
        enabled: true,
        oidc: { issuer: "https://id.example.com", client_id: "bosun", scopes: ["email", "groups"] },
        role_mapping: [
          { value: "platform", role: "admin" },
          { claim: "teams", value: "finance", role: "launcher", location: "finance" },
        ],
        default_role: "viewer",
        session: { max_age_hours: 1.5, idle_hours: 0.5 },
      },
    });
    expect(settings).toEqual({
      enabled: true,
      oidc: {
        issuer: "https://id.example.com",
        clientId: "bosun",
        clientSecretEnv: "BOSUN_OIDC_CLIENT_SECRET",
        scopes: ["openid", "email", "groups"],
        usernameClaim: "email",
      },
      roleMapping: [
        { claim: "groups", value: "platform", grant: { role: "admin", location: null } },
        { claim: "teams", value: "finance", grant: { role: "launcher", location: "finance" } },
      ],
      defaultRole: "viewer",
      sessionMaxAgeMs: 90 * 60 * 1000,
      sessionIdleMs: 30 * 60 * 1000,
    });
  });

  it("names the field path and the nearest valid key for a misspelt key", () => {
    expect(problems({ auth: { enabeld: true } })).toEqual([
      'auth.enabeld: unknown key (did you mean "enabled"?)',
    ]);
    expect(problems({ auth: { oidc: { issuer: "https://x", client_id: "c", client_secret: "s" } } })).toEqual(
      ['auth.oidc.client_secret: unknown key (did you mean "client_secret_env"?)'],
    );
    expect(problems({ auth: { role_mapping: [{ value: "g", role: "admin", locaton: "x" }] } })).toEqual([
      'auth.role_mapping.0.locaton: unknown key (did you mean "location"?)',
    ]);
  });

  it("says what was expected for a wrong value", () => {
    expect(problems({ auth: { enabled: "yes" } })).toEqual(["auth.enabled: expected boolean"]);
    expect(problems({ auth: { role_mapping: [{ value: "g", role: "owner" }] } })[0]).toMatch(
      /^auth\.role_mapping\.0\.role: .*"viewer"\|"launcher"\|"editor"\|"admin"/,
    );
    expect(problems({ auth: { oidc: { issuer: "ftp://x", client_id: "c" } } })).toEqual([
      "auth.oidc.issuer: issuer must be an http(s) URL",
    ]);
    expect(
      problems({ auth: { oidc: { issuer: "https://x", client_id: "c", client_secret_env: "a b" } } }),
    ).toEqual(["auth.oidc.client_secret_env: client_secret_env must name an environment variable"]);
  });
});
