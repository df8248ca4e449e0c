import type { JsonValue } from "@bosun/core";

export const CONTAINER_CONTEXT_ENV = "BOSUN_CONTAINER_CONTEXT";

/** A container context that is not a JSON object. */
export class ContainerContextError extends Error {
  constructor(
    readonly source: string,
    problem: string,
  ) {
    super(`${source} must be a JSON object (e.g. {"k8s": {"namespace": "data"}}): ${problem}`);
    this.name = "ContainerContextError";
  }
}

/**
 * A code server's container context, from `--container-context <json>` or else the
 * `BOSUN_CONTAINER_CONTEXT` environment variable. Only its JSON shape is checked here: its sections are
 * checked by plugins when the code loads (the Kubernetes package's checks `k8s`), then carried into the
 * snapshot as given.
 */
export function resolveContainerContext(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): JsonValue | null {
  if (flag !== undefined) return parseContainerContext(flag, "--container-context");
  const fromEnv = env[CONTAINER_CONTEXT_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== "")
    return parseContainerContext(fromEnv, CONTAINER_CONTEXT_ENV);
  return null;
}

export function parseContainerContext(text: string, source: string): JsonValue {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ContainerContextError(source, `it is not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ContainerContextError(
      source,
      `got ${parsed === null ? "null" : Array.isArray(parsed) ? "a list" : typeof parsed}`,
    );
  }
  return parsed as JsonValue;
}
