import type { Grant } from "@bosun/core";
import type { Kysely, Selectable } from "kysely";
import { newCsrfToken, newSessionId } from "../auth/session-id.ts";
import { hashTokenSecret } from "../auth/token-secret.ts";
import type { NewSession, SessionRecord, SessionStorage } from "../session-storage.ts";
import type { SessionDatabase, SessionsTable } from "./session-tables.ts";

/** Sign-in sessions in PostgreSQL, looked up by the SHA-256 of their id. */
export class PostgresSessionStorage implements SessionStorage {
  constructor(private readonly db: Kysely<SessionDatabase>) {}

  async createSession(session: NewSession): Promise<{ session: SessionRecord; id: string }> {
    const id = newSessionId();
    const row = await this.db
      .insertInto("sessions")
      .values({
        id_hash: hashTokenSecret(id),
        subject: session.subject,
        name: session.name,
        email: session.email,
        grants: JSON.stringify(session.grants),
        csrf_token: newCsrfToken(),
        created_at: session.createdAt,
        last_seen_at: session.createdAt,
        expires_at: session.expiresAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { session: toRecord(row), id };
  }

  async findSession(id: string): Promise<SessionRecord | null> {
    const row = await this.db
      .selectFrom("sessions")
      .selectAll()
      .where("id_hash", "=", hashTokenSecret(id))
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async touchSession(id: string, at: Date): Promise<void> {
    await this.db
      .updateTable("sessions")
      .set({ last_seen_at: at })
      .where("id_hash", "=", hashTokenSecret(id))
      .execute();
  }

  async revokeSession(id: string, at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable("sessions")
      .set({ revoked_at: at })
      .where("id_hash", "=", hashTokenSecret(id))
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async revokeUserSessions(subject: string, at: Date): Promise<number> {
    const result = await this.db
      .updateTable("sessions")
      .set({ revoked_at: at })
      .where("subject", "=", subject)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}

function toRecord(row: Selectable<SessionsTable>): SessionRecord {
  return {
    subject: row.subject,
    name: row.name,
    email: row.email,
    grants: row.grants as Grant[],
    csrfToken: row.csrf_token,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}
