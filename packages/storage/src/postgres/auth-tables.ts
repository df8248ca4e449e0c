import type { ColumnType, Generated, Kysely } from "kysely";
import type { Database } from "./database.ts";

/** Kysely's view of the tables added by migration 0007 (auth). */
export interface AuthDatabase {
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
}

export interface ApiTokensTable {
  id: string;
  name: string;
  kind: string;
  role: string;
  location: string | null;
  run_id: string | null;
  secret_hash: Buffer;
  created_by: string | null;
  created_at: Generated<Date>;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface AuditLogTable {
  /** bigserial; the pool parses int8 as number. */
  id: Generated<number>;
  at: ColumnType<Date, Date, never>;
  actor: string;
  actor_kind: string;
  action: string;
  permission: string | null;
  object: string | null;
  address: string | null;
  decision: string;
  status_code: number;
  reason: string | null;
}

/** The same connection pool, typed with the auth tables. */
export function authDb(db: Kysely<Database>): Kysely<AuthDatabase> {
  return db as unknown as Kysely<AuthDatabase>;
}
