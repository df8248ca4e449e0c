import type { Kysely } from "kysely";
import type { Database } from "./database.ts";

/** Kysely's view of the table added by migration 0008 (sessions). */
export interface SessionDatabase {
  sessions: SessionsTable;
}

export interface SessionsTable {
  id_hash: Buffer;
  subject: string;
  name: string;
  email: string | null;
  /** `[{ role, location }]`, as JSON text on insert. */
  grants: unknown;
  csrf_token: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
}

/** The same connection pool, typed with the sessions table. */
export function sessionDb(db: Kysely<Database>): Kysely<SessionDatabase> {
  return db as unknown as Kysely<SessionDatabase>;
}
