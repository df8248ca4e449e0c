import { randomUUID } from "node:crypto";
import type { Role } from "@bosun/core";
import { type Kysely, type Selectable, sql } from "kysely";
import {
  hashTokenSecret,
  isTokenSecretShaped,
  newTokenSecret,
  type TokenKind,
} from "../auth/token-secret.ts";
import type {
  ApiTokenRecord,
  AuditEntry,
  AuditQuery,
  AuthStorage,
  NewApiToken,
  NewAuditEntry,
} from "../auth-storage.ts";
import { TokenNameTakenError } from "../storage-errors.ts";
import type { Subscription } from "../subscription.ts";
import type { ApiTokensTable, AuthDatabase } from "./auth-tables.ts";
import type { NotificationListener } from "./notification-listener.ts";

/** Notified with a token's id when it is revoked, so webservers drop it from their caches at once. */
export const API_TOKENS_CHANNEL = "bosun_api_tokens";

const UNIQUE_VIOLATION = "23505";
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** API tokens and the audit log in PostgreSQL. */
export class PostgresAuthStorage implements AuthStorage {
  constructor(
    private readonly db: Kysely<AuthDatabase>,
    private readonly listener: NotificationListener,
  ) {}

  async createToken(token: NewApiToken): Promise<{ token: ApiTokenRecord; secret: string }> {
    const secret = newTokenSecret(token.kind);
    try {
      const row = await this.db
        .insertInto("api_tokens")
        .values({
          id: randomUUID(),
          name: token.name,
          kind: token.kind,
          role: token.role,
          location: token.location ?? null,
          run_id: token.runId ?? null,
          secret_hash: hashTokenSecret(secret),
          created_by: token.createdBy ?? null,
          expires_at: token.expiresAt ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { token: toRecord(row), secret };
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw new TokenNameTakenError(token.name);
      throw error;
    }
  }

  async adoptTokenSecret(
    secret: string,
    token: NewApiToken,
    at: Date,
  ): Promise<{ token: ApiTokenRecord; outcome: "created" | "replaced" | "kept" | "revoked" }> {
    if (!isTokenSecretShaped(secret) || !secret.startsWith(`bosun_${token.kind}_`))
      throw new Error(
        `a ${token.kind} token secret must look like bosun_${token.kind}_ followed by 43 letters, digits, "-" or "_"`,
      );
    const hash = hashTokenSecret(secret);
    // Two processes adopting the same secret at once: the loser's insert violates a unique index after
    // the winner commits, and its second attempt finds the token stored.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction().execute(async (trx) => {
          const stored = await trx
            .selectFrom("api_tokens")
            .selectAll()
            .where("secret_hash", "=", hash)
            .executeTakeFirst();
          if (stored) return { token: toRecord(stored), outcome: stored.revoked_at ? "revoked" : "kept" };
          const replaced = await trx
            .updateTable("api_tokens")
            .set({ revoked_at: at })
            .where("name", "=", token.name)
            .where("revoked_at", "is", null)
            .returning("id")
            .execute();
          for (const { id } of replaced)
            await sql`SELECT pg_notify(${API_TOKENS_CHANNEL}, ${id})`.execute(trx);
          const row = await trx
            .insertInto("api_tokens")
            .values({
              id: randomUUID(),
              name: token.name,
              kind: token.kind,
              role: token.role,
              location: token.location ?? null,
              run_id: token.runId ?? null,
              secret_hash: hash,
              created_by: token.createdBy ?? null,
              created_at: at,
              expires_at: token.expiresAt ?? null,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          return { token: toRecord(row), outcome: replaced.length > 0 ? "replaced" : "created" };
        });
      } catch (error) {
        if ((error as { code?: string }).code !== UNIQUE_VIOLATION || attempt >= 3) throw error;
      }
    }
  }

  async findTokenBySecret(secret: string): Promise<ApiTokenRecord | null> {
    const row = await this.db
      .selectFrom("api_tokens")
      .selectAll()
      .where("secret_hash", "=", hashTokenSecret(secret))
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async listTokens(options: { readonly includeRevoked?: boolean } = {}): Promise<readonly ApiTokenRecord[]> {
    let query = this.db.selectFrom("api_tokens").selectAll().orderBy("created_at", "desc").orderBy("id");
    if (!options.includeRevoked) query = query.where("revoked_at", "is", null);
    return (await query.execute()).map(toRecord);
  }

  async revokeToken(idOrName: string, at: Date): Promise<ApiTokenRecord | null> {
    const row = await this.db.transaction().execute(async (trx) => {
      const revoked = await trx
        .updateTable("api_tokens")
        .set({ revoked_at: at })
        .where("revoked_at", "is", null)
        .where((eb) =>
          UUID_PATTERN.test(idOrName)
            ? eb.or([eb("id", "=", idOrName), eb("name", "=", idOrName)])
            : eb("name", "=", idOrName),
        )
        .returningAll()
        .executeTakeFirst();
      // Sent on commit: no webserver drops the token before the revocation is visible to its next lookup.
      if (revoked) await sql`SELECT pg_notify(${API_TOKENS_CHANNEL}, ${revoked.id})`.execute(trx);
      return revoked;
    });
    return row ? toRecord(row) : null;
  }

  async watchTokenRevocations(onRevoked: () => void): Promise<Subscription> {
    // After a reconnect notifications may have been missed: treat it as "anything may be revoked".
    const unsubscribe = await this.listener.subscribe(API_TOKENS_CHANNEL, () => onRevoked(), onRevoked);
    return {
      close: async () => {
        unsubscribe();
      },
    };
  }

  async markTokenUsed(id: string, at: Date): Promise<void> {
    await this.db.updateTable("api_tokens").set({ last_used_at: at }).where("id", "=", id).execute();
  }

  async appendAudit(entry: NewAuditEntry): Promise<void> {
    await this.db
      .insertInto("audit_log")
      .values({
        at: entry.at,
        actor: entry.actor,
        actor_kind: entry.actorKind,
        action: entry.action,
        permission: entry.permission,
        object: entry.object,
        address: entry.address,
        decision: entry.decision,
        status_code: entry.statusCode,
        reason: entry.reason,
      })
      .execute();
  }

  async listAudit(query: AuditQuery): Promise<readonly AuditEntry[]> {
    let select = this.db.selectFrom("audit_log").selectAll().orderBy("id", "desc").limit(query.limit);
    if (query.beforeId !== undefined) select = select.where("id", "<", query.beforeId);
    if (query.actor !== undefined) select = select.where("actor", "=", query.actor);
    if (query.decision !== undefined) select = select.where("decision", "=", query.decision);
    // A substring, with LIKE's own wildcards taken literally.
    if (query.action !== undefined)
      select = select.where("action", "ilike", `%${query.action.replace(/[\\%_]/g, "\\$&")}%`);
    const rows = await select.execute();
    return rows.map((row) => ({
      id: Number(row.id),
      at: row.at,
      actor: row.actor,
      actorKind: row.actor_kind,
      action: row.action,
      permission: row.permission,
      object: row.object,
      address: row.address,
      decision: row.decision as AuditEntry["decision"],
      statusCode: row.status_code,
      reason: row.reason,
    }));
  }
}

function toRecord(row: Selectable<ApiTokensTable>): ApiTokenRecord {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as TokenKind,
    role: row.role as Role,
    location: row.location,
    runId: row.run_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
