/** A run with this id exists already. */
export class RunAlreadyExistsError extends Error {
  constructor(readonly runId: string) {
    super(`a run with id ${runId} already exists`);
    this.name = "RunAlreadyExistsError";
  }
}

/** No run has this id. */
export class RunNotFoundError extends Error {
  constructor(readonly runId: string) {
    super(`no run with id ${runId}`);
    this.name = "RunNotFoundError";
  }
}

/** The database could not be reached or refused us. Names where, never the password. */
export class StorageUnavailableError extends Error {
  constructor(
    readonly target: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot reach PostgreSQL at ${target}: ${reason}`, options);
    this.name = "StorageUnavailableError";
  }
}

/** A run-list cursor that this storage did not hand out (or that was altered). */
export class InvalidRunCursorError extends Error {
  constructor(readonly cursor: string) {
    super(`invalid run list cursor ${JSON.stringify(cursor)}: pass back a nextCursor returned by listRuns`);
    this.name = "InvalidRunCursorError";
  }
}

/** A token in force already has this name (names are how tokens are listed and revoked). */
export class TokenNameTakenError extends Error {
  constructor(readonly tokenName: string) {
    super(`a token named "${tokenName}" already exists; revoke it first or choose another name`);
    this.name = "TokenNameTakenError";
  }
}
