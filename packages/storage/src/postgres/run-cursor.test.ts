import { describe, expect, it } from "vitest";
import { InvalidRunCursorError } from "../storage-errors.ts";
import { decodeRunCursor, encodeRunCursor } from "./run-cursor.ts";

describe("run cursor", () => {
  it("round-trips the creation time to the millisecond and the run id", () => {
    const cursor = { createdAt: new Date(1_700_000_000_123), runId: "run-ü-1" };
    expect(decodeRunCursor(encodeRunCursor(cursor))).toEqual(cursor);
  });

  it("rejects text that is not a cursor", () => {
    for (const bad of [
      "",
      "nope",
      Buffer.from("[1]").toString("base64url"),
      Buffer.from('["x","y"]').toString("base64url"),
    ]) {
      expect(() => decodeRunCursor(bad)).toThrow(InvalidRunCursorError);
    }
  });
});
