import { createHash } from "node:crypto";
import type pg from "pg";
import { MIGRATIONS, type Migration } from "./migrations/index.ts";

/** Key of the transaction-scoped advisory lock that serialises migrations of one database. */
const MIGRATION_LOCK_KEY = 0x626f_7375; // "bosu"
const UNIQUE_VIOLATION = "23505";

/** What `migrate` did. */
export interface MigrationResult {
  /** Versions this call applied (empty when another process had already done it). */
  readonly applied: readonly number[];
  /** Schema version of the database afterwards. */
  readonly version: number;
}

/**
 * What a pool's search path points at: the instance's schema (every migration, `prod`'s data and the
 * instance-wide tables) or a branch deployment's schema (per-deployment tables only).
 */
export type MigrationTarget = "instance" | "deployment";

/** The database was migrated by a newer Bosun than this one. */
export class SchemaTooNewError extends Error {
  constructor(
    readonly databaseVersion: number,
    readonly knownVersion: number,
  ) {
    super(
      `the database schema is at version ${databaseVersion} but this Bosun only knows up to version ${knownVersion}; upgrade Bosun`,
    );
    this.name = "SchemaTooNewError";
  }
}

/** The latest schema version this code knows. */
export function latestSchemaVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations.at(-1)?.version ?? 0;
}

/** A hash of every migration's text: two databases migrated with the same fingerprint have the same schema. */
export function migrationsFingerprint(migrations: readonly Migration[] = MIGRATIONS): string {
  const hash = createHash("sha256");
  for (const migration of migrations)
    hash.update(`${migration.version}\0${migration.name}\0${migration.sql}\0`);
  return hash.digest("hex");
}

/**
 * Brings the database to the latest schema. Safe when several processes call it at once: all of it happens
 * in one transaction holding an advisory lock, so the others wait and then find nothing to do; a unique
 * violation on a `schema_migrations` row (a server where the lock is not shared, e.g. behind a
 * statement-pooling proxy) means someone else applied it, and the check is retried.
 */
export async function migrate(
  pool: pg.Pool,
  migrations: readonly Migration[] = MIGRATIONS,
  target: MigrationTarget = "instance",
): Promise<MigrationResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await migrateOnce(pool, migrations, target);
    } catch (error) {
      if (attempt < 3 && (error as { code?: string }).code === UNIQUE_VIOLATION) continue;
      throw error;
    }
  }
}

async function migrateOnce(
  pool: pg.Pool,
  migrations: readonly Migration[],
  target: MigrationTarget,
): Promise<MigrationResult> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    try {
      await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await client.query<{ version: number }>("SELECT version FROM schema_migrations");
      const done = new Set(rows.map((row) => Number(row.version)));
      const known = latestSchemaVersion(migrations);
      const newest = Math.max(0, ...done);
      if (newest > known) throw new SchemaTooNewError(newest, known);
      const applied: number[] = [];
      for (const migration of migrations) {
        if (done.has(migration.version)) continue;
        // Recorded either way, so that a deployment schema's version reads like the instance's.
        if (target === "instance" || migration.scope !== "instance") await client.query(migration.sql);
        await client.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
          migration.version,
          migration.name,
        ]);
        applied.push(migration.version);
      }
      await client.query("COMMIT");
      return { applied, version: known };
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  } finally {
    client.release();
  }
}
