import pg from "pg";

/**
 * Every table of the database's public schema with its row count and a checksum of its rows, to prove
 * that a request changed nothing stored. Rows are hashed in a fixed order, so two fingerprints are equal
 * exactly when every table holds the same rows.
 */
export async function databaseFingerprint(databaseUrl: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
    );
    const fingerprint: Record<string, string> = {};
    for (const { name } of tables) {
      const table = client.escapeIdentifier(name);
      const { rows } = await client.query<{ count: string; sum: string | null }>(
        `SELECT count(*) AS count, md5(string_agg(t::text, E'\\n' ORDER BY t::text)) AS sum FROM ${table} t`,
      );
      fingerprint[name] = `${rows[0]!.count} rows, ${rows[0]!.sum ?? "empty"}`;
    }
    return fingerprint;
  } finally {
    await client.end();
  }
}
