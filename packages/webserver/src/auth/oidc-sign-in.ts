import type { OidcSettings } from "@bosun/instance";
import * as client from "openid-client";
import { ApiError } from "../api/api-error.ts";

/**
 * What `/auth/login` remembers for `/auth/callback` (in an HttpOnly cookie): the state and nonce the
 * answer must carry back and the PKCE verifier only this browser holds.
 */
export interface PendingSignIn {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
}

/** Thrown at startup when OIDC is configured but cannot be used (its secret is missing, an http issuer). */
export class OidcConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OidcConfigError";
  }
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** 401 for a sign-in that failed at the callback; the message is the library's, which names no secret. */
function signInFailed(message: string, code?: string): ApiError {
  return new ApiError("UNAUTHENTICATED", `sign-in failed: ${message}`, {
    reason: "sign_in_failed",
    ...(code ? { oidcError: code } : {}),
  });
}

/**
 * The OpenID Connect relying party: the authorization-code flow with PKCE, state and nonce, through
 * `openid-client`. The provider's discovery document is read on the first sign-in (and again after a
 * failed read), so a webserver starts while its provider is down.
 */
export class OidcSignIn {
  private configuration: Promise<client.Configuration> | null = null;

  constructor(
    private readonly settings: OidcSettings,
    private readonly clientSecret: string,
  ) {
    const issuer = new URL(settings.issuer);
    // Plain http is for a provider on this machine (tests, local trials): anywhere else the code and
    // tokens would cross the network in the clear.
    if (issuer.protocol === "http:" && !LOOPBACK_HOSTS.has(issuer.hostname))
      throw new OidcConfigError(
        `auth.oidc.issuer: ${settings.issuer} must be https (plain http is allowed only on loopback)`,
      );
  }

  /**
   * Reads the client secret from the environment variable `auth.oidc.client_secret_env` names.
   *
   * @example
   * const signIn = OidcSignIn.fromEnvironment(instance.auth.oidc, process.env);
   */
  static fromEnvironment(
    settings: OidcSettings,
    env: Readonly<Record<string, string | undefined>>,
  ): OidcSignIn {
    const secret = env[settings.clientSecretEnv];
    if (secret === undefined || secret === "")
      throw new OidcConfigError(
        `auth.oidc.client_secret_env: environment variable ${settings.clientSecretEnv} is not set; it must hold the OIDC client secret`,
      );
    return new OidcSignIn(settings, secret);
  }

  private config(): Promise<client.Configuration> {
    if (this.configuration === null) {
      const issuer = new URL(this.settings.issuer);
      this.configuration = client
        .discovery(issuer, this.settings.clientId, this.clientSecret, undefined, {
          execute: [
            // The ID token's signature is checked against the provider's published keys too, not only
            // trusted for arriving over TLS from the token endpoint (which openid-client allows by
            // default): a TLS-terminating proxy or a tampered answer cannot slip in another identity.
            client.enableNonRepudiationChecks,
            ...(issuer.protocol === "http:" ? [client.allowInsecureRequests] : []),
          ],
        })
        .catch((error: unknown) => {
          this.configuration = null;
          throw new ApiError(
            "NOT_AVAILABLE",
            `the identity provider ${this.settings.issuer} could not be reached for its discovery document: ${(error as Error).message}`,
          );
        });
    }
    return this.configuration;
  }

  /** Where to send the browser to sign in, and what to remember until it comes back. */
  async start(redirectUri: string): Promise<{ readonly url: URL; readonly pending: PendingSignIn }> {
    const config = await this.config();
    const pending: PendingSignIn = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier: client.randomPKCECodeVerifier(),
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: this.settings.scopes.join(" "),
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: "S256",
    });
    return { url, pending };
  }

  /**
   * Exchanges the code the provider sent back for tokens, checking state, nonce, PKCE and the ID token
   * (signature, issuer, audience, expiry), and returns the user's claims: the ID token's, completed
   * from the userinfo endpoint for claims the ID token leaves out (many providers send groups only there).
   */
  async finish(callbackUrl: URL, pending: PendingSignIn): Promise<Record<string, unknown>> {
    const config = await this.config();
    let claims: Record<string, unknown>;
    let accessToken: string;
    try {
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      if (idClaims === undefined) throw signInFailed("the provider sent no ID token");
      claims = { ...idClaims };
      accessToken = tokens.access_token;
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw signInFailed((error as Error).message, (error as { code?: string }).code);
    }
    try {
      const userInfo = await client.fetchUserInfo(config, accessToken, claims.sub as string);
      // The ID token's claims win: they are signed.
      return { ...userInfo, ...claims };
    } catch {
      return claims;
    }
  }
}

/** The cookie form of a pending sign-in. */
export function encodePendingSignIn(pending: PendingSignIn): string {
  return Buffer.from(JSON.stringify(pending)).toString("base64url");
}

/** A pending sign-in from its cookie; null when the cookie is missing or not one. */
export function decodePendingSignIn(value: string | undefined): PendingSignIn | null {
  if (value === undefined) return null;
  try {
    const parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as Record<string, unknown>;
    const { state, nonce, verifier } = parsed;
    return typeof state === "string" && typeof nonce === "string" && typeof verifier === "string"
      ? { state, nonce, verifier }
      : null;
  } catch {
    return null;
  }
}
