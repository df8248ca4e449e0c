/**
 * The one failure shape that crosses processes, gRPC and the event log: class, message, stack and the
 * chain of causes. Built from any thrown value, never from a stack-less guess.
 */
export interface SerializableFailure {
  readonly className: string;
  readonly message: string;
  readonly stack: string | null;
  readonly cause: SerializableFailure | null;
}

const MAX_CAUSE_DEPTH = 10;

/** Turns anything thrown into a `SerializableFailure`, following `cause` up to ten levels deep. */
export function toSerializableFailure(thrown: unknown, depth = 0): SerializableFailure {
  if (thrown instanceof Error) {
    const cause =
      thrown.cause !== undefined && depth < MAX_CAUSE_DEPTH
        ? toSerializableFailure(thrown.cause, depth + 1)
        : null;
    return {
      className: thrown.constructor?.name || thrown.name || "Error",
      message: thrown.message,
      stack: thrown.stack ?? null,
      cause,
    };
  }
  return { className: typeof thrown, message: describeNonError(thrown), stack: null, cause: null };
}

function describeNonError(thrown: unknown): string {
  if (typeof thrown === "string") return thrown;
  try {
    return JSON.stringify(thrown) ?? String(thrown);
  } catch {
    return String(thrown);
  }
}

/** Human-readable text of a failure with its causes, for terminals and logs. */
export function formatFailure(failure: SerializableFailure): string {
  const lines: string[] = [];
  let current: SerializableFailure | null = failure;
  let first = true;
  while (current) {
    const head = `${current.className}: ${current.message}`;
    lines.push(first ? head : `Caused by ${head}`);
    if (current.stack) lines.push(...current.stack.split("\n").slice(1));
    current = current.cause;
    first = false;
  }
  return lines.join("\n");
}
