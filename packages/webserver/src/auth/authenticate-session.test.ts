import type { SessionRecord, SessionStorage } from "@bosun/storage";
import { describe, expect, it } from "vitest";
import { ApiError } from "../api/api-error.ts";
import { authenticateSession, checkCsrf } from "./authenticate-session.ts";

const ID = `bosun_session_${"a".repeat(43)}`;
const HOUR = 60 * 60 * 1000;
const SIGNED_IN = new Date("2026-01-01T08:00:00Z");

function record(overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    subject: "alice",
    name: "alice@example.com",
    email: "alice@example.com",
    grants: [{ role: "viewer", location: null }],
    csrfToken: "c".repeat(43),
    createdAt: SIGNED_IN,
    lastSeenAt: SIGNED_IN,
    expiresAt: new Date(SIGNED_IN.getTime() + 12 * HOUR),
    revokedAt: null,
    ...overrides,
  };
}

function storage(found: SessionRecord | null, touched: Date[] = []): SessionStorage {
  return {
    findSession: async () => found,
    touchSession: async (_id, at) => void touched.push(at),
  } as Partial<SessionStorage> as SessionStorage;
}

async function reason(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  expect((error as ApiError).statusCode).toBe(401);
  return (error as ApiError).details?.reason;
}

const at = (hours: number) => ({ idleMs: 2 * HOUR, now: new Date(SIGNED_IN.getTime() + hours * HOUR) });

describe("authenticateSession", () => {
  it("gives the session's user as a principal of kind session, and records activity", async () => {
    const touched: Date[] = [];
    const { principal } = await authenticateSession(storage(record(), touched), ID, at(1), () => {});
    expect(principal).toEqual({
      name: "alice@example.com",
      kind: "session",
      grants: [{ role: "viewer", location: null }],
    });
    expect(touched).toHaveLength(1);
  });

  it("refuses an unknown, malformed, revoked, idle or too old session, saying which", async () => {
    expect(await reason(authenticateSession(storage(null), ID, at(1), () => {}))).toBe("session_unknown");
    expect(await reason(authenticateSession(storage(record()), "nope", at(1), () => {}))).toBe(
      "session_unknown",
    );
    const revoked = record({ revokedAt: SIGNED_IN });
    expect(await reason(authenticateSession(storage(revoked), ID, at(1), () => {}))).toBe("session_revoked");
    expect(await reason(authenticateSession(storage(record()), ID, at(2), () => {}))).toBe("session_expired");
    const busy = record({ lastSeenAt: new Date(SIGNED_IN.getTime() + 11.5 * HOUR) });
    expect(await reason(authenticateSession(storage(busy), ID, at(12), () => {}))).toBe("session_expired");
  });
});

describe("checkCsrf", () => {
  it("accepts the session's token and refuses a missing or different one with 403", () => {
    expect(() => checkCsrf(record(), "c".repeat(43))).not.toThrow();
    for (const header of [undefined, "", "d".repeat(43), "c".repeat(42), ["c".repeat(43)]]) {
      let error: unknown = null;
      try {
        checkCsrf(record(), header);
      } catch (e) {
        error = e;
      }
      expect((error as ApiError).statusCode).toBe(403);
    }
  });
});
