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

export type DefinitionErrorCode =
  | "DUPLICATE_NAME"
  | "UNKNOWN_DEPENDENCY"
  | "DEPENDENCY_CYCLE"
  | "MISSING_RESOURCE"
  | "INVALID_NAME"
  | "INVALID_GRAPH"
  | "INVALID_SELECTION"
  | "INVALID_PARTITION"
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
