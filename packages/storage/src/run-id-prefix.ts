import type { RunStorage } from "./storage.ts";
import { RunNotFoundError } from "./storage-errors.ts";

/**
 * The shortest prefix `resolveRunId` looks up: with fewer characters a prefix matches too many runs to
 * be useful, and a typo would silently pick some run. A full run id of any length is always accepted.
 */
export const MIN_RUN_ID_PREFIX_LENGTH = 4;

/** How many of an ambiguous prefix's matches an error lists. */
const LISTED_MATCHES = 5;

/** A run id prefix shorter than `MIN_RUN_ID_PREFIX_LENGTH` that is not a whole run id. */
export class RunIdPrefixTooShortError extends Error {
  readonly code = "RUN_ID_PREFIX_TOO_SHORT";
  constructor(readonly prefix: string) {
    super(
      `run id ${JSON.stringify(prefix)} is too short: give the whole id or at least ${MIN_RUN_ID_PREFIX_LENGTH} of its first characters`,
    );
    this.name = "RunIdPrefixTooShortError";
  }
}

/** A run id prefix that several runs share. Lists up to five of them. */
export class AmbiguousRunIdError extends Error {
  readonly code = "AMBIGUOUS_RUN_ID";
  constructor(
    readonly prefix: string,
    readonly matches: readonly string[],
    readonly more: boolean,
  ) {
    super(
      `run id prefix ${JSON.stringify(prefix)} matches several runs: ${matches.join(", ")}${more ? ", ..." : ""}; give more characters`,
    );
    this.name = "AmbiguousRunIdError";
  }
}

/** No run's id is, or starts with, what was given. A `RunNotFoundError`, so callers treat both alike. */
export class NoRunMatchesError extends RunNotFoundError {
  constructor(readonly prefix: string) {
    super(prefix);
    this.message = `no run matches ${JSON.stringify(prefix)}`;
    this.name = "NoRunMatchesError";
  }
}

/**
 * The run id a person meant: the id itself when a run has it, else the one run whose id starts with it.
 * Every command that takes a run id goes through here, so prefixes work the same everywhere.
 *
 * @example
 * await resolveRunId(storage.runs, "3f9c"); // "3f9c0a4e-..." when only that run starts with 3f9c
 */
export async function resolveRunId(
  runs: Pick<RunStorage, "getRun" | "findRunIdsByPrefix">,
  idOrPrefix: string,
): Promise<string> {
  const given = idOrPrefix.trim();
  if (given !== "" && (await runs.getRun(given))) return given;
  if (given.length < MIN_RUN_ID_PREFIX_LENGTH) throw new RunIdPrefixTooShortError(given);
  const matches = await runs.findRunIdsByPrefix(given, LISTED_MATCHES + 1);
  if (matches.length === 0) throw new NoRunMatchesError(given);
  if (matches.length === 1) return matches[0]!;
  throw new AmbiguousRunIdError(given, matches.slice(0, LISTED_MATCHES), matches.length > LISTED_MATCHES);
}
