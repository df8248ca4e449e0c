import type { Role } from "@bosun/core";
import type { TokenKind } from "./auth/token-secret.ts";
import type { Subscription } from "./subscription.ts";

/** An API token as stored: everything but its secret, which is kept only as a hash. */
export interface ApiTokenRecord {
  readonly id: string;
  /** Unique among tokens in force; how people list and revoke it. */
  readonly name: string;
  readonly kind: TokenKind;
  readonly role: Role;
  /** The code location the role is granted on; null: the whole instance. */
  readonly location: string | null;
  /** For run tokens: the one run they act for. */
  readonly runId: string | null;
  /** Who created it (a token name, a user, `bootstrap`). */
  readonly createdBy: string | null;
  readonly createdAt: Date;
  /** Null: never expires. */
  readonly expiresAt: Date | null;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

/** What creating a token takes. */
export interface NewApiToken {
  readonly name: string;
  readonly kind: TokenKind;
  readonly role: Role;
  readonly location?: string | null;
  readonly runId?: string | null;
  readonly createdBy?: string | null;
  readonly expiresAt?: Date | null;
}

/** A mutating API call as the audit log keeps it, allowed or denied. */
export interface NewAuditEntry {
  readonly at: Date;
  /** A token's name, a signed-in user, or `anonymous`. */
  readonly actor: string;
  /** `user`, `agent` or `run` token, `session`, or `anonymous`. */
  readonly actorKind: string;
  /** Method and route, e.g. `POST /api/runs/:id/terminate`. */
  readonly action: string;
  readonly permission: string | null;
  /** What it acted on, e.g. `run 1f3a...`, `schedule finance/hourly`. */
  readonly object: string | null;
  /** The client's address. */
  readonly address: string | null;
  readonly decision: "allowed" | "denied";
  readonly statusCode: number;
  /** Why it was denied, or why an allowed call failed. */
  readonly reason: string | null;
}

/** One stored audit entry; `id` increases with time. */
export interface AuditEntry extends NewAuditEntry {
  readonly id: number;
}

/** Which audit entries to list: newest first, `limit` of them, older than `beforeId`, matching every filter given. */
export interface AuditQuery {
  readonly limit: number;
  /** Only entries older than this id (the next page). */
  readonly beforeId?: number;
  /** Only this caller (a token name, a signed-in user, `anonymous`), exactly. */
  readonly actor?: string;
  /** Only actions containing this text, any case (`terminate`, `POST /api/runs`). */
  readonly action?: string;
  /** Only allowed or only denied calls. */
  readonly decision?: AuditEntry["decision"];
}

/** API tokens and the audit log. Secrets are generated here and only their hashes stored. */
export interface AuthStorage {
  /**
   * Creates a token with a new random secret, returned this once and never again. Throws
   * `TokenNameTakenError` when a token in force already has the name.
   */
  createToken(token: NewApiToken): Promise<{ readonly token: ApiTokenRecord; readonly secret: string }>;
  /**
   * Makes `secret` (shaped like a generated one) a token in force under `token.name`, for a secret chosen
   * outside Bosun (the chart's bootstrap admin token, from a Kubernetes Secret). Idempotent: when the
   * secret is stored already, nothing changes (`kept`, or `revoked` when someone revoked it: a revoked
   * token is never brought back). Otherwise a token in force with the same name is revoked (the secret
   * was rotated: `replaced`) and the secret stored (`created`). Safe when several processes do it at once.
   */
  adoptTokenSecret(
    secret: string,
    token: NewApiToken,
    at: Date,
  ): Promise<{
    readonly token: ApiTokenRecord;
    readonly outcome: "created" | "replaced" | "kept" | "revoked";
  }>;
  /** The token whose secret this is (revoked and expired ones included: the caller decides); null when none. */
  findTokenBySecret(secret: string): Promise<ApiTokenRecord | null>;
  /** Tokens newest first; revoked ones only when asked. */
  listTokens(options?: { readonly includeRevoked?: boolean }): Promise<readonly ApiTokenRecord[]>;
  /** Revokes the token in force with this id or name; null when there is none. */
  revokeToken(idOrName: string, at: Date): Promise<ApiTokenRecord | null>;
  /**
   * Calls `onRevoked` whenever a token is revoked, by any process (and after a lost connection, when one
   * may have been missed), so a cache of verified tokens can be dropped. Resolves once watching.
   */
  watchTokenRevocations(onRevoked: () => void): Promise<Subscription>;
  /** Records a use (the caller throttles how often). */
  markTokenUsed(id: string, at: Date): Promise<void>;
  appendAudit(entry: NewAuditEntry): Promise<void>;
  /** Newest first; `beforeId` pages on to older entries; the filters narrow the list. */
  listAudit(query: AuditQuery): Promise<readonly AuditEntry[]>;
}
