/**
 * The chart's `auth` values rendered by the real `helm template`: auth on by default with a generated
 * bootstrap admin token that only its Secret holds, an existing Secret instead, OIDC values in
 * bosun.yaml with the client secret from a Secret, and anonymous serving only when asked for.
 */
import { describe, expect, it } from "vitest";
import { HelmError, type KubeObject, type Rendered, render } from "./support/render.ts";

const WEBSERVER = "demo-bosun-webserver";

const envOf = (rendered: Rendered, deployment: string): KubeObject[] =>
  rendered.container("Deployment", deployment).env ?? [];

async function helmError(values: unknown): Promise<string> {
  try {
    await render(values);
  } catch (error) {
    if (error instanceof HelmError) return error.stderr;
    throw error;
  }
  throw new Error("helm rendered values that should have been rejected");
}

describe("auth values of the chart", () => {
  it("turns auth on by default with a generated bootstrap admin token that appears only in its Secret", async () => {
    const rendered = await render({ webserver: { enableReadOnly: true } });
    expect(rendered.instanceConfig().auth).toEqual({
      enabled: true,
      default_role: "none",
      session: { max_age_hours: 12, idle_hours: 2 },
    });
    const secret = rendered.get("Secret", "demo-bosun-bootstrap-token");
    const token = Buffer.from(secret.data.token, "base64").toString("utf8");
    expect(token).toMatch(/^bosun_user_[A-Za-z0-9]{43}$/);
    expect(envOf(rendered, WEBSERVER)).toContainEqual({
      name: "BOSUN_BOOTSTRAP_TOKEN",
      valueFrom: { secretKeyRef: { name: "demo-bosun-bootstrap-token", key: "token" } },
    });
    // The read-only twin stores nothing; the daemon needs no token.
    expect(envOf(rendered, "demo-bosun-webserver-read-only").map((e) => e.name)).not.toContain(
      "BOSUN_BOOTSTRAP_TOKEN",
    );
    expect(envOf(rendered, "demo-bosun-daemon").map((e) => e.name)).not.toContain("BOSUN_BOOTSTRAP_TOKEN");
    const elsewhere = rendered.objects.filter((o) => o !== secret).map((o) => JSON.stringify(o));
    expect(elsewhere.filter((text) => text.includes(token) || text.includes(secret.data.token))).toEqual([]);
    expect(rendered.container("Deployment", WEBSERVER).args).not.toContain("--insecure-allow-anonymous");
    // Each render makes its own (helm lookup keeps the installed one across upgrades).
    const again = (await render()).get("Secret", "demo-bosun-bootstrap-token").data.token;
    expect(again).not.toBe(secret.data.token);
  });

  it("takes the bootstrap token from an existing Secret and generates none", async () => {
    const rendered = await render({
      auth: { bootstrapToken: { existingSecret: "bosun-admin", key: "admin-token" } },
    });
    expect(rendered.maybe("Secret", "demo-bosun-bootstrap-token")).toBeUndefined();
    expect(envOf(rendered, WEBSERVER)).toContainEqual({
      name: "BOSUN_BOOTSTRAP_TOKEN",
      valueFrom: { secretKeyRef: { name: "bosun-admin", key: "admin-token" } },
    });
  });

  it("renders OIDC sign-in into bosun.yaml and gives every webserver the client secret from its Secret", async () => {
    const rendered = await render({
      webserver: { enableReadOnly: true },
      auth: {
        oidc: {
          issuer: "https://keycloak.example.com/realms/acme",
          clientId: "bosun",
          clientSecret: { existingSecret: "bosun-oidc" },
          scopes: ["openid", "email", "groups"],
        },
        roleMapping: [
          { value: "data-platform", role: "admin" },
          { claim: "roles", value: "finance-engineers", role: "launcher", location: "finance" },
        ],
        defaultRole: "viewer",
        session: { idleHours: 1 },
      },
    });
    expect(rendered.instanceConfig().auth).toEqual({
      enabled: true,
      oidc: {
        issuer: "https://keycloak.example.com/realms/acme",
        client_id: "bosun",
        client_secret_env: "BOSUN_OIDC_CLIENT_SECRET",
        scopes: ["openid", "email", "groups"],
        username_claim: "email",
      },
      role_mapping: [
        { value: "data-platform", role: "admin" },
        { claim: "roles", value: "finance-engineers", role: "launcher", location: "finance" },
      ],
      default_role: "viewer",
      session: { max_age_hours: 12, idle_hours: 1 },
    });
    for (const deployment of [WEBSERVER, "demo-bosun-webserver-read-only"])
      expect(envOf(rendered, deployment)).toContainEqual({
        name: "BOSUN_OIDC_CLIENT_SECRET",
        valueFrom: { secretKeyRef: { name: "bosun-oidc", key: "client-secret" } },
      });
  });

  it("serves anonymously only with auth.enabled false and auth.allowAnonymous true", async () => {
    const rendered = await render({ auth: { enabled: false, allowAnonymous: true } });
    expect(rendered.container("Deployment", WEBSERVER).args).toContain("--insecure-allow-anonymous");
    expect(rendered.instanceConfig().auth).toMatchObject({ enabled: false });
    expect(rendered.maybe("Secret", "demo-bosun-bootstrap-token")).toBeUndefined();
    expect(envOf(rendered, WEBSERVER).map((e) => e.name)).not.toContain("BOSUN_BOOTSTRAP_TOKEN");

    expect(await helmError({ auth: { enabled: false } })).toContain(
      "auth.enabled is false, so the webserver would serve its API to anyone who reaches the Service",
    );
    expect(await helmError({ auth: { allowAnonymous: true } })).toContain(
      "auth.allowAnonymous is true but auth.enabled is true",
    );
  });

  it("refuses OIDC without its client and secret, a misspelt auth key and an unknown role", async () => {
    expect(await helmError({ auth: { oidc: { issuer: "https://idp.example.com" } } })).toContain(
      "auth.oidc.issuer is set, so sign-in needs auth.oidc.clientId and auth.oidc.clientSecret.existingSecret",
    );
    expect(await helmError({ auth: { bootstrapToken: { existingSecrt: "x" } } })).toContain(
      "at '/auth/bootstrapToken': additional properties 'existingSecrt' not allowed",
    );
    expect(await helmError({ auth: { roleMapping: [{ value: "ops", role: "owner" }] } })).toContain(
      "/auth/roleMapping/0/role",
    );
  });
});
