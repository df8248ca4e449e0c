import { randomBytes } from "node:crypto";

/** `bosun_session_` then 32 random bytes in base64url: a session cookie's value. */
const SESSION_ID_PATTERN = /^bosun_session_[A-Za-z0-9_-]{43}$/;

/** A new session id (256 random bits); stored only as its SHA-256 (`hashTokenSecret`). */
export function newSessionId(): string {
  return `bosun_session_${randomBytes(32).toString("base64url")}`;
}

/** Whether `text` has the shape of a session id (anything else is refused without a lookup). */
export function isSessionIdShaped(text: string): boolean {
  return SESSION_ID_PATTERN.test(text);
}

/** A new CSRF token bound to one session (256 random bits). */
export function newCsrfToken(): string {
  return randomBytes(32).toString("base64url");
}
