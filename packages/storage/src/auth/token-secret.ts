import { createHash, randomBytes } from "node:crypto";

/** What an API token is for: a person's scripts and CI, a hybrid agent, or one run's workers. */
export type TokenKind = "user" | "agent" | "run";

/** Every token kind. */
export const TOKEN_KINDS: readonly TokenKind[] = ["user", "agent", "run"];

/**
 * `bosun_<kind>_` then 32 random bytes in base64url (43 characters). The prefix lets secret scanners
 * recognise a leaked token and lets the server refuse a malformed one without a database round trip;
 * the kind that counts is the stored one.
 */
const SECRET_PATTERN = /^bosun_(user|agent|run)_[A-Za-z0-9_-]{43}$/;

/** A new high-entropy token secret of `kind` (256 random bits). */
export function newTokenSecret(kind: TokenKind): string {
  return `bosun_${kind}_${randomBytes(32).toString("base64url")}`;
}

/** Whether `text` has the shape of a token secret. */
export function isTokenSecretShaped(text: string): boolean {
  return SECRET_PATTERN.test(text);
}

/**
 * SHA-256 of a secret: what storage keeps and looks tokens up by. A random 256-bit secret needs no salt
 * or slow hash (nothing to guess), and looking up by hash means no secret is ever compared byte by byte.
 */
export function hashTokenSecret(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}

/** What a token's name may be: 1 to 100 letters, digits, `.`, `_`, `@` or `-`, starting with a letter or digit. */
export const TOKEN_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/;
