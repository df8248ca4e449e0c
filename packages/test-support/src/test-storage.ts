import { randomBytes } from "node:crypto";
import { migrationsFingerprint, PostgresStorage } from "@bosun/storage";
import pg from "pg";
import { testAdminUrl, withDatabase } from "./admin-url.ts";

/** A test file's own migrated database and storage on it. */
export interface TestStorage {
  readonly storage: PostgresStorage;
  /** URL of this test file's own database (give it to processes a test starts as BOSUN_DATABASE_URL). */
  readonly databaseUrl: string;
  /** Another storage instance on the same database: other connections, as another process would have. */
  openAnother(): Promise<PostgresStorage>;
  /** Closes every storage opened here and drops the database. */
  drop(): Promise<void>;
}

const TEMPLATE_LOCK_KEY = 0x7465_6d70; // "temp"
let templateName: Promise<string> | null = null;

/**
 * A fresh, migrated database for one test file, cloned from a template database that is migrated once
 * per schema version (its name carries a fingerprint of the migrations, so a changed migration gets a
 * new template and a stale one is never used). Race-safe across parallel test files and test runs.
 *
 * @example
 * let db: TestStorage;
 * beforeAll(async () => { db = await createTestStorage(); });
 * afterAll(() => db.drop());
 */
export async function createTestStorage(): Promise<TestStorage> {
  const adminUrl = testAdminUrl();
  templateName ??= ensureTemplate(adminUrl);
  const template = await templateName;
  const name = `bosun_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await withAdmin(adminUrl, (admin) =>
    retryWhileInUse(() =>
      admin.query(
        `CREATE DATABASE ${admin.escapeIdentifier(name)} TEMPLATE ${admin.escapeIdentifier(template)}`,
      ),
    ),
  );
  const databaseUrl = withDatabase(adminUrl, name);
  const opened: PostgresStorage[] = [];
  const open = async () => {
    const storage = await PostgresStorage.open({
      connectionString: databaseUrl,
      migrate: false,
      poolSize: 5,
    });
    opened.push(storage);
    return storage;
  };
  const storage = await open();
  let dropped = false;
  return {
    storage,
    databaseUrl,
    openAnother: open,
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await Promise.all(opened.map((s) => s.close()));
      await withAdmin(adminUrl, (admin) =>
        admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`),
      );
    },
  };
}

async function ensureTemplate(adminUrl: string): Promise<string> {
  const name = `bosun_template_${migrationsFingerprint().slice(0, 12)}`;
  await withAdmin(adminUrl, async (admin) => {
    await admin.query("SELECT pg_advisory_lock($1)", [TEMPLATE_LOCK_KEY]);
    try {
      const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (rowCount) return;
      // Built under another name and renamed when complete, so a crash never leaves a half-migrated template.
      const building = `${name}_build_${randomBytes(3).toString("hex")}`;
      await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(building)}`);
      const storage = await PostgresStorage.open({
        connectionString: withDatabase(adminUrl, building),
        poolSize: 1,
      });
      await storage.close();
      await retryWhileInUse(() =>
        admin.query(
          `ALTER DATABASE ${admin.escapeIdentifier(building)} RENAME TO ${admin.escapeIdentifier(name)}`,
        ),
      );
      await admin.query(`ALTER DATABASE ${admin.escapeIdentifier(name)} WITH IS_TEMPLATE true`);
    } finally {
      await admin.query("SELECT pg_advisory_unlock($1)", [TEMPLATE_LOCK_KEY]);
    }
  });
  return name;
}

async function withAdmin<T>(adminUrl: string, body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

const OBJECT_IN_USE = "55006";

/**
 * Cloning or renaming a database fails while anyone is connected to it, and a closed connection's server
 * process can take a moment to exit.
 */
async function retryWhileInUse<T>(action: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await action();
    } catch (error) {
      if ((error as { code?: string }).code !== OBJECT_IN_USE || attempt >= 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
