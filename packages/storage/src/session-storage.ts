import type { Grant } from "@bosun/core";

/** A sign-in session as stored: everything but its id, which is kept only as a hash. */
export interface SessionRecord {
  /** The identity provider's subject (`sub` claim): who signed in. */
  readonly subject: string;
  /** The name shown for the user and written to the audit log (the configured username claim). */
  readonly name: string;
  readonly email: string | null;
  /** The roles the provider's claims gave at sign-in. */
  readonly grants: readonly Grant[];
  /** Sent back in `X-Bosun-CSRF` on every mutating call the session cookie authenticates. */
  readonly csrfToken: string;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  /** The absolute end: the session ends then however busy it is. */
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
}

/** What starting a session takes. */
export interface NewSession {
  readonly subject: string;
  readonly name: string;
  readonly email: string | null;
  readonly grants: readonly Grant[];
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** Sign-in sessions. Session ids and CSRF tokens are generated here; only the id's hash is stored. */
export interface SessionStorage {
  /** Starts a session with a new random id (for the cookie), returned this once and never again. */
  createSession(session: NewSession): Promise<{ readonly session: SessionRecord; readonly id: string }>;
  /** The session with this id (revoked and expired ones included: the caller decides); null when none. */
  findSession(id: string): Promise<SessionRecord | null>;
  /** Records activity, for the idle expiry (the caller throttles how often). */
  touchSession(id: string, at: Date): Promise<void>;
  /** Revokes one session (sign-out); false when it was unknown or already revoked. */
  revokeSession(id: string, at: Date): Promise<boolean>;
  /** Revokes every session in force of a user (by subject); how many were revoked. */
  revokeUserSessions(subject: string, at: Date): Promise<number>;
}
