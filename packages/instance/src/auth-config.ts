import { type Grant, ROLES, type Role } from "@bosun/core";
import { z } from "zod";
import { describeConfigIssues } from "./config-issues.ts";

/**
 * The `auth` section of `bosun.yaml`: whether the webserver asks who is calling, how people sign in
 * (OpenID Connect) and which roles their identity provider's claims give them. API tokens need no
 * configuration here: they are created with `bosun token create` and carry their role. See `docs/auth.md`.
 *
 * ```yaml
 * auth:
 *   enabled: true                      # every API call needs a token or a session (default false)
 *   oidc:
 *     issuer: https://accounts.example.com
 *     client_id: bosun
 *     client_secret_env: BOSUN_OIDC_CLIENT_SECRET   # the secret itself never goes in this file
 *     scopes: [openid, profile, email, groups]
 *     username_claim: email
 *   role_mapping:
 *     - claim: groups                  # a claim holding a string or a list of strings
 *       value: data-platform
 *       role: admin
 *     - claim: groups
 *       value: finance-analysts
 *       role: launcher
 *       location: finance              # only on this code location
 *   default_role: none                 # a signed-in user no mapping matches: refused (none) or a role
 *   session:
 *     max_age_hours: 12                # ends this long after sign-in, used or not
 *     idle_hours: 2                    # ends after this long without a request
 * ```
 */

const ROLE_OR_NONE = ["none", ...ROLES] as const;

const oidcSchema = z
  .strictObject({
    /** The provider's issuer URL; its discovery document is read from `<issuer>/.well-known/openid-configuration`. */
    issuer: z
      .url({ protocol: /^https?$/, message: "issuer must be an http(s) URL" })
      .describe("The OpenID provider's issuer URL"),
    /** The client id registered at the provider for this Bosun. */
    client_id: z.string().min(1).describe("The client id registered at the provider"),
    /** Name of the environment variable holding the client secret (never the secret itself). */
    client_secret_env: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "client_secret_env must name an environment variable")
      .default("BOSUN_OIDC_CLIENT_SECRET")
      .describe("Environment variable holding the client secret"),
    /** Scopes asked for; `openid` is always included. */
    scopes: z
      .array(z.string().min(1))
      .default(["openid", "profile", "email"])
      .describe("Scopes asked for at sign-in"),
    /** The ID token claim shown as the user's name and written to the audit log. */
    username_claim: z
      .string()
      .min(1)
      .default("email")
      .describe("ID token claim naming the user (audit log, sidebar)"),
  })
  .describe("OpenID Connect sign-in (authorization code flow with PKCE)");

const roleMappingSchema = z
  .strictObject({
    /** The claim to read; a string claim matches when equal, a list claim when it contains the value. */
    claim: z.string().min(1).default("groups").describe("Claim to read (a string or a list of strings)"),
    /** The value that gives the role. */
    value: z.string().min(1).describe("Claim value that gives the role"),
    /** The role given. */
    role: z.enum(ROLES).describe("Role given: viewer, launcher, editor or admin"),
    /** The code location the role is given on; absent: the whole instance. */
    location: z.string().min(1).optional().describe("Code location the role is limited to"),
  })
  .describe("A claim value that gives a role");

/** The `auth` section of `bosun.yaml`. */
export const authSchema = z
  .strictObject({
    /** Whether every API call must carry a token or a session (health probes excepted). */
    enabled: z.boolean().default(false).describe("Require a token or a signed-in session on every API call"),
    /** Sign-in through an OpenID Connect provider; without it only API tokens authenticate. */
    oidc: oidcSchema.optional(),
    /** Claims that give roles, all of which apply (a user holds every role a mapping gives). */
    role_mapping: z.array(roleMappingSchema).default([]).describe("Claim values that give roles"),
    /** The role of a signed-in user no mapping matches; `none` refuses them. */
    default_role: z
      .enum(ROLE_OR_NONE)
      .default("none")
      .describe("Role of a signed-in user no mapping matches; none refuses sign-in"),
    /** Sign-in sessions. */
    session: z
      .strictObject({
        /** A session ends this long after sign-in, used or not. */
        max_age_hours: z
          .number()
          .positive("max_age_hours must be a positive number of hours")
          .max(24 * 30, "max_age_hours must be at most 720 (30 days)")
          .default(12)
          .describe("Hours a sign-in session lasts"),
        /** A session ends after this long without a request, however young it is. */
        idle_hours: z
          .number()
          .positive("idle_hours must be a positive number of hours")
          .max(24 * 30, "idle_hours must be at most 720 (30 days)")
          .default(2)
          .describe("Hours without a request after which a sign-in session ends"),
      })
      .default({ max_age_hours: 12, idle_hours: 2 })
      .describe("Sign-in sessions"),
  })
  .default({
    enabled: false,
    role_mapping: [],
    default_role: "none",
    session: { max_age_hours: 12, idle_hours: 2 },
  })
  .describe("Who may call the webserver's API: tokens, OpenID Connect sign-in, roles");

/** One claim value that gives a role. */
export interface RoleMapping {
  readonly claim: string;
  readonly value: string;
  readonly grant: Grant;
}

/** `auth.oidc`, parsed. */
export interface OidcSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecretEnv: string;
  readonly scopes: readonly string[];
  readonly usernameClaim: string;
}

/** `auth`, parsed and defaulted; times in milliseconds. */
export interface AuthSettings {
  readonly enabled: boolean;
  readonly oidc: OidcSettings | null;
  readonly roleMapping: readonly RoleMapping[];
  readonly defaultRole: Role | null;
  readonly sessionMaxAgeMs: number;
  /** A session unused this long ends (`session.idle_hours`). */
  readonly sessionIdleMs: number;
}

/** Auth settings when `bosun.yaml` has no `auth` section: off, everything behaves as without auth. */
export const AUTH_DISABLED: AuthSettings = {
  enabled: false,
  oidc: null,
  roleMapping: [],
  defaultRole: null,
  sessionMaxAgeMs: 12 * 60 * 60 * 1000,
  sessionIdleMs: 2 * 60 * 60 * 1000,
};

/** Bad `auth` section of `bosun.yaml`: one line per problem, naming the field path. */
export class AuthConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid instance config:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "AuthConfigError";
  }
}

const sectionSchema = z.object({ auth: authSchema });

/**
 * Validates and defaults the `auth` section of a parsed `bosun.yaml` (other keys are ignored).
 *
 * @example
 * parseAuthSettings({ auth: { enabled: true } }).enabled; // true
 */
export function parseAuthSettings(raw: Readonly<Record<string, unknown>> = {}): AuthSettings {
  const result = sectionSchema.safeParse({ auth: raw.auth ?? undefined });
  if (!result.success)
    throw new AuthConfigError(describeConfigIssues(sectionSchema, result.error.issues, []));
  const section = result.data.auth;
  return {
    enabled: section.enabled,
    oidc: section.oidc
      ? {
          issuer: section.oidc.issuer,
          clientId: section.oidc.client_id,
          clientSecretEnv: section.oidc.client_secret_env,
          scopes: [...new Set(["openid", ...section.oidc.scopes])],
          usernameClaim: section.oidc.username_claim,
        }
      : null,
    roleMapping: section.role_mapping.map((mapping) => ({
      claim: mapping.claim,
      value: mapping.value,
      grant: { role: mapping.role, location: mapping.location ?? null },
    })),
    defaultRole: section.default_role === "none" ? null : section.default_role,
    sessionMaxAgeMs: Math.round(section.session.max_age_hours * 60 * 60 * 1000),
    sessionIdleMs: Math.round(section.session.idle_hours * 60 * 60 * 1000),
  };
}
