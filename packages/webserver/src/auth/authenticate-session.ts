import { timingSafeEqual } from "node:crypto";
import { isSessionIdShaped, type SessionRecord, type SessionStorage } from "@bosun/storage";
import { ApiError } from "../api/api-error.ts";
import type { Principal } from "./principal.ts";

/** A session's `last_seen_at` is written at most this often (the idle expiry is counted in hours). */
const LAST_SEEN_RESOLUTION_MS = 60_000;

/** The header a cookie-authenticated mutating call carries its session's CSRF token in. */
export const CSRF_HEADER = "x-bosun-csrf";

/** Why a session cookie was refused; the reason goes in `details.reason`, never the cookie. */
export type SessionRefusal = "session_unknown" | "session_revoked" | "session_expired";

const MESSAGES: Readonly<Record<SessionRefusal, string>> = {
  session_unknown: "the session cookie names no session of this instance; sign in again at /auth/login",
  session_revoked: "the session has been signed out or revoked; sign in again at /auth/login",
  session_expired: "the session has expired; sign in again at /auth/login",
};

/** A signed-in session as the request carries it (the id never leaves the request). */
export interface SignedInSession {
  readonly id: string;
  readonly record: SessionRecord;
}

/**
 * The principal a session cookie names, or a 401 saying why not. A session ends at its absolute expiry
 * and after `idleMs` without a request; sessions are looked up by the SHA-256 of their id.
 */
export async function authenticateSession(
  sessions: SessionStorage,
  id: string,
  limits: { readonly idleMs: number; readonly now: Date },
  onStorageError: (error: unknown) => void,
): Promise<{ readonly principal: Principal; readonly session: SignedInSession }> {
  const refuse = (reason: SessionRefusal) => new ApiError("UNAUTHENTICATED", MESSAGES[reason], { reason });
  const record = isSessionIdShaped(id) ? await sessions.findSession(id) : null;
  if (record === null) throw refuse("session_unknown");
  if (record.revokedAt !== null) throw refuse("session_revoked");
  const now = limits.now.getTime();
  if (record.expiresAt.getTime() <= now || now - record.lastSeenAt.getTime() >= limits.idleMs)
    throw refuse("session_expired");
  if (now - record.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS)
    // Not awaited: a late write only makes the idle expiry a minute more generous.
    sessions.touchSession(id, limits.now).catch(onStorageError);
  return {
    principal: { name: record.name, kind: "session", grants: record.grants },
    session: { id, record },
  };
}

/**
 * Refuses with 403 unless a cookie-authenticated mutating call carries its session's CSRF token in
 * `X-Bosun-CSRF`. A cross-site page can make the browser send the cookie but cannot read the token
 * (it is only given by `GET /api/auth/me` to the session's own pages), so it cannot forge the header.
 */
export function checkCsrf(session: SessionRecord, header: string | string[] | undefined): void {
  const sent = typeof header === "string" ? header : undefined;
  const expected = Buffer.from(session.csrfToken);
  const given = Buffer.from(sent ?? "");
  if (given.length === expected.length && timingSafeEqual(given, expected)) return;
  throw new ApiError(
    "FORBIDDEN",
    sent === undefined
      ? "a call authenticated by the session cookie must send the session's CSRF token in X-Bosun-CSRF (from GET /api/auth/me)"
      : "the X-Bosun-CSRF header does not match this session's CSRF token (from GET /api/auth/me)",
    {
      reason: sent === undefined ? "csrf_missing" : "csrf_mismatch",
      issues: [{ field: "headers.x-bosun-csrf", message: "must be the session's csrfToken" }],
    },
  );
}
