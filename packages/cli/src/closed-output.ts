/**
 * A reader that goes away (`bosun run show <id> | head`, a `tee` stopped by the same Ctrl-C) closes our
 * stdout or stderr; the next write fails with EPIPE. That must not kill the command half-way: it would
 * skip the cleanup that stops the embedded PostgreSQL and releases its lease. From the first EPIPE on,
 * writes to that stream are dropped and the command finishes as it would have.
 */
export function ignoreClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
      stream.write = (_chunk: unknown, encoding?: unknown, callback?: unknown) => {
        const done = typeof encoding === "function" ? encoding : callback;
        if (typeof done === "function") queueMicrotask(() => done());
        return true;
      };
    });
  }
}
