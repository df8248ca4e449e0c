import { createTestStorage, type TestStorage } from "@bosun/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSessionIdShaped } from "../index.ts";

let db: TestStorage;
beforeAll(async () => {
  db = await createTestStorage();
});
afterAll(() => db?.drop());

const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
const NOW = new Date("2026-01-01T08:00:00Z");
const LATER = new Date("2026-01-01T20:00:00Z");

function newSession(subject: string) {
  return {
    subject,
    name: `${subject}@example.com`,
    email: `${subject}@example.com`,
    grants: [{ role: "launcher" as const, location: "finance" }],
    createdAt: NOW,
    expiresAt: LATER,
  };
}

describe("sign-in sessions in PostgreSQL", () => {
  it("returns the id once, stores only its SHA-256, and finds the session by its id", async () => {
    const subject = unique("alice");
    const { session, id } = await db.storage.sessions.createSession(newSession(subject));
    expect(isSessionIdShaped(id)).toBe(true);
    expect(session).toMatchObject({
      subject,
      grants: [{ role: "launcher", location: "finance" }],
      lastSeenAt: NOW,
      expiresAt: LATER,
      revokedAt: null,
    });
    expect(session.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await db.storage.sessions.findSession(id)).toEqual(session);
    // One character changed (never to itself: an id may already end in "A").
    expect(
      await db.storage.sessions.findSession(`${id.slice(0, -1)}${id.endsWith("A") ? "B" : "A"}`),
    ).toBeNull();

    const client = new pg.Client({ connectionString: db.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query("SELECT * FROM sessions WHERE subject = $1", [subject]);
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain(id);
    } finally {
      await client.end();
    }
  });

  it("records activity, revokes one session, and revokes every session of a user", async () => {
    const subject = unique("bob");
    const first = await db.storage.sessions.createSession(newSession(subject));
    const second = await db.storage.sessions.createSession(newSession(subject));
    const other = await db.storage.sessions.createSession(newSession(unique("carol")));
    const seen = new Date("2026-01-01T09:00:00Z");
    await db.storage.sessions.touchSession(first.id, seen);
    expect((await db.storage.sessions.findSession(first.id))?.lastSeenAt).toEqual(seen);

    expect(await db.storage.sessions.revokeSession(first.id, seen)).toBe(true);
    expect(await db.storage.sessions.revokeSession(first.id, seen)).toBe(false);
    expect((await db.storage.sessions.findSession(first.id))?.revokedAt).toEqual(seen);

    expect(await db.storage.sessions.revokeUserSessions(subject, seen)).toBe(1);
    expect((await db.storage.sessions.findSession(second.id))?.revokedAt).toEqual(seen);
    expect((await db.storage.sessions.findSession(other.id))?.revokedAt).toBeNull();
  });
});
