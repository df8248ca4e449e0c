import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "./database.ts";

const INT8_OID = 20;

/** Where a PostgreSQL database is, as given to the storage. `target` never holds a password. */
export interface PostgresConnectionOptions {
  readonly connectionString: string;
  /** Connections in the query pool (the notification listener has its own). Default 10. */
  readonly poolSize?: number;
  /** Name shown in `pg_stat_activity`. */
  readonly applicationName?: string;
}

/** bigint columns (seq, byte offsets) fit in a double for any realistic log; read them as numbers. */
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID && format !== "binary"
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export function clientConfig(options: PostgresConnectionOptions): pg.ClientConfig {
  return {
    connectionString: options.connectionString,
    application_name: options.applicationName ?? "bosun",
    keepAlive: true,
    connectionTimeoutMillis: 10_000,
    types,
  };
}

export function createPool(options: PostgresConnectionOptions): pg.Pool {
  const pool = new pg.Pool({
    ...clientConfig(options),
    max: options.poolSize ?? 10,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on("error", () => undefined);
  // Nor may a checked-out one between two queries (a transaction's connection when the server stops):
  // the pool listens to idle clients only, and an unheard 'error' event ends the process. The query
  // that then uses the connection fails, and its caller retries or reports it.
  pool.on("connect", (client) => client.on("error", () => undefined));
  return pool;
}

export function createKysely(pool: pg.Pool): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** "host:port/database" of a connection string, without user or password. */
export function describeConnectionString(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    const host = url.hostname || "localhost";
    const port = url.port || "5432";
    const database =
      decodeURIComponent(url.pathname.replace(/^\//, "")) || decodeURIComponent(url.username) || "";
    return `${host}:${port}/${database}`;
  } catch {
    return "an unparsable connection string";
  }
}
