import { createTestStorage, type TestStorage } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool } from "./connection.ts";

/**
 * A connection the server ends while the process holds it between two queries (a transaction's
 * connection during a database restart) must not end the process: pg emits 'error' on that client, and
 * an 'error' event nobody listens to is an uncaught exception. Seen as a run worker exiting 1 in the
 * middle of a database outage it was meant to ride out.
 */
describe("pooled connections the server ends", () => {
  let db: TestStorage;
  beforeAll(async () => {
    db = await createTestStorage();
  });
  afterAll(() => db.drop());

  it("a checked-out client losing its connection fails its next query instead of crashing the process", async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on("uncaughtException", onUncaught);
    const pool = createPool({ connectionString: db.databaseUrl, poolSize: 1 });
    try {
      const client = await pool.connect();
      const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      // 'end', not 'error': a listener of our own for 'error' would hide what is tested.
      const lost = new Promise((resolve) => client.once("end", resolve));
      await db.storage.pgPool.query("SELECT pg_terminate_backend($1)", [rows[0]?.pid]);
      await lost;
      await expect(client.query("SELECT 1")).rejects.toThrow();
      client.release(true);
      // The pool makes a new connection for the next caller.
      expect((await pool.query<{ one: number }>("SELECT 1 AS one")).rows[0]?.one).toBe(1);
      expect(uncaught).toEqual([]);
    } finally {
      process.off("uncaughtException", onUncaught);
      await pool.end();
    }
  });
});
