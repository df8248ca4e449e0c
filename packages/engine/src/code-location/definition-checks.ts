/**
 * Checks that plugins contribute to code loading: the shape of a tag value (`bosun-k8s/config`) or of a
 * container context section (`k8s`) is the plugin's business, but a mistake in it must surface when
 * the code location loads, not when a run of it is launched. The engine knows where tags and container
 * contexts are; the plugin knows what they must look like.
 */

/** One problem a check found in a value. */
export interface CheckIssue {
  /** Where in the value, in the user's own spelling: `container_config.resourcs`. */
  readonly path: string;
  /** What was expected there: `one of resources, env, ...`, `a map`. */
  readonly expected: string;
  /** For a misspelt key: the nearest valid key. */
  readonly suggestion?: string;
  /** The problem without the path: `unknown field; did you mean \`resources\`?` */
  readonly detail: string;
}

/** Checks one value; an empty list means it is fine. Must not throw for bad input: it returns issues. */
export type ValueCheck = (value: unknown) => readonly CheckIssue[];

/**
 * Loads a check. Called only when some definition carries the tag (or the container context has the
 * section), so a location that never uses a plugin never loads its schemas.
 */
export type ValueCheckLoader = () => Promise<ValueCheck>;

/**
 * The checks a code location's definitions must pass, by what they check.
 *
 * @example
 * const checks: DefinitionChecks = {
 *   tags: { "bosun-k8s/config": async () => (await import("./config/definition-checks.ts")).checkK8sConfigTag },
 *   containerContext: { k8s: async () => (await import("./config/definition-checks.ts")).checkK8sContainerContext },
 * };
 */
export interface DefinitionChecks {
  /** Tag key → check of its value on jobs, ops and assets. */
  readonly tags?: Readonly<Record<string, ValueCheckLoader>>;
  /** Container context key (`k8s`) → check of that section. */
  readonly containerContext?: Readonly<Record<string, ValueCheckLoader>>;
}

/** Several catalogs of checks in one (a later one wins a key clash, as plugin executors do). */
export function mergeDefinitionChecks(catalogs: readonly (DefinitionChecks | undefined)[]): DefinitionChecks {
  return {
    tags: Object.assign({}, ...catalogs.map((checks) => checks?.tags ?? {})),
    containerContext: Object.assign({}, ...catalogs.map((checks) => checks?.containerContext ?? {})),
  };
}
