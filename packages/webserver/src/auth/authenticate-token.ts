import type { AuthStorage, TokenKind } from "@bosun/storage";
import { isTokenSecretShaped } from "@bosun/storage";
import { ApiError } from "../api/api-error.ts";
import type { Principal } from "./principal.ts";
import type { VerifiedTokens } from "./verified-tokens.ts";

/** A token's `last_used_at` is written at most this often, so a busy token costs no write per call. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** Why a bearer token was refused; the reason goes in `details.reason`, never the token. */
export type TokenRefusal = "missing" | "malformed" | "unknown" | "revoked" | "expired" | "wrong_kind";

const MESSAGES: Readonly<Record<TokenRefusal, string>> = {
  missing:
    "this API needs a token: send Authorization: Bearer <token> (create one with `bosun token create`)",
  malformed: "the Authorization header is not Bearer followed by a Bosun token",
  unknown: "the token is not known to this instance",
  revoked: "the token has been revoked",
  expired: "the token has expired",
  wrong_kind: "this kind of token (agent or run) is not accepted by this API; use a user token",
};

/** What each API accepts: the user API user tokens, the agent API agent tokens, the run API run tokens. */
const API_OF_KIND: Readonly<Record<TokenKind, string>> = {
  user: "the user API (/api)",
  agent: "the agent API (/api/agent/v1)",
  run: "the run reporting API (/api/run/v1)",
};

/** 401 for a refused token, with the header that tells clients how to authenticate. */
export function unauthenticated(reason: TokenRefusal): ApiError {
  return new ApiError("UNAUTHENTICATED", MESSAGES[reason], { reason });
}

/** 401 for a token of another kind than the API takes, naming both kinds (never the token). */
export function wrongKind(kind: TokenKind, accepts: TokenKind): ApiError {
  return new ApiError(
    "UNAUTHENTICATED",
    `this is a ${kind} token; ${API_OF_KIND[accepts]} accepts ${accepts} tokens only (a ${kind} token is for ${API_OF_KIND[kind]})`,
    { reason: "wrong_kind", kind, accepts },
  );
}

/**
 * The principal an `Authorization` header names, or a 401 saying why not. Tokens are looked up by the
 * SHA-256 of the secret (never compared byte by byte), through the cache of verified tokens. Each API
 * takes one kind (`accepts`): user tokens the user API, agent tokens the agent API, run tokens the run
 * reporting API; any other kind is refused as `wrong_kind`.
 */
export async function authenticateToken(
  storage: AuthStorage,
  tokens: VerifiedTokens,
  authorization: string | undefined,
  now: Date,
  onStorageError: (error: unknown) => void,
  accepts: TokenKind = "user",
): Promise<Principal> {
  if (authorization === undefined || authorization.trim() === "") throw unauthenticated("missing");
  const match = /^Bearer +(\S+) *$/i.exec(authorization);
  const secret = match?.[1];
  if (!secret || !isTokenSecretShaped(secret)) throw unauthenticated("malformed");
  const token = await tokens.find(secret);
  if (!token) throw unauthenticated("unknown");
  if (token.revokedAt !== null) throw unauthenticated("revoked");
  if (token.expiresAt !== null && token.expiresAt.getTime() <= now.getTime())
    throw unauthenticated("expired");
  if (token.kind !== accepts)
    throw accepts === "user" ? unauthenticated("wrong_kind") : wrongKind(token.kind, accepts);
  if (token.lastUsedAt === null || now.getTime() - token.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    // Not awaited: when the token was last used is a hint for people, not worth a slower answer.
    storage.markTokenUsed(token.id, now).catch(onStorageError);
    tokens.noteUse(secret, token, now);
  }
  // Agent and run tokens hold no role on the user API: what they may do is their API's business.
  if (token.kind !== "user") return { name: token.name, kind: token.kind, grants: [], runId: token.runId };
  return { name: token.name, kind: token.kind, grants: [{ role: token.role, location: token.location }] };
}
