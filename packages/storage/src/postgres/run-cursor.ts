import { InvalidRunCursorError } from "../storage-errors.ts";

/** Position after a run in the newest-first order: its creation time and id. */
export interface RunCursor {
  readonly createdAt: Date;
  readonly runId: string;
}

export function encodeRunCursor(cursor: RunCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt.getTime(), cursor.runId])).toString("base64url");
}

export function decodeRunCursor(text: string): RunCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    throw new InvalidRunCursorError(text);
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    !Number.isSafeInteger(parsed[0]) ||
    typeof parsed[1] !== "string"
  ) {
    throw new InvalidRunCursorError(text);
  }
  return { createdAt: new Date(parsed[0] as number), runId: parsed[1] };
}
