/**
 * A code location's definitions are wrong: duplicate names, unknown or missing dependencies, cycles,
 * missing resources, a tag or container context a plugin checks (`bosun-k8s/config`). `code` is stable for people searching for it; `names` lists what is involved.
 */
export class DefinitionError extends Error {
  constructor(
    readonly code: DefinitionErrorCode,
    message: string,
    readonly names: readonly string[] = [],
  ) {
    super(message);
    this.name = "DefinitionError";
  }
}

/** Stable codes of `DefinitionError`, one per kind of mistake in definitions. */
export type DefinitionErrorCode =
  | "DUPLICATE_NAME"
  | "UNKNOWN_DEPENDENCY"
  | "DEPENDENCY_CYCLE"
  | "MISSING_RESOURCE"
  | "INVALID_NAME"
  | "INVALID_GRAPH"
  | "INVALID_SELECTION"
  | "INVALID_PARTITION"
  /** A job leaves an op input without a value. */
  | "UNWIRED_INPUT"
  /** A job passes an op an input it does not declare. */
  | "UNKNOWN_INPUT"
  /** `run` takes inputs but the op or asset declares none (`ins`, `deps: { ... }`). */
  | "UNDECLARED_INPUTS"

  /** A tag value or container context section that a plugin checks does not have the shape it expects. */
  | "INVALID_CONFIG";

const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Names of ops, jobs, schedules, sensors and resources: letters, digits, `_` and `-`, not starting with a digit. */
export function assertValidName(kind: string, name: unknown): asserts name is string {
  if (typeof name !== "string" || !NAME_PATTERN.test(name)) {
    throw new DefinitionError(
      "INVALID_NAME",
      `${kind} name ${JSON.stringify(name)} is invalid: expected letters, digits, "_" or "-", not starting with a digit`,
      typeof name === "string" ? [name] : [],
    );
  }
}

/**
 * Types are erased at runtime, so a `run` function that takes a second parameter (its inputs) while
 * none are declared would silently receive `{}`. Its arity is exact, unlike its source text.
 */
export function assertInputsDeclared(
  kind: "op" | "asset",
  name: string,
  run: (...args: never[]) => unknown,
  declared: readonly string[],
  howToDeclare: string,
): void {
  if (run.length >= 2 && declared.length === 0) {
    throw new DefinitionError(
      "UNDECLARED_INPUTS",
      `${kind} "${name}": run takes inputs as its second parameter but none are declared; declare them with ${howToDeclare}`,
      [name],
    );
  }
}
