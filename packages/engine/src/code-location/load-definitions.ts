import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { JsonValue } from "@bosun/core";
import { DefinitionError, type Definitions, isDefinitions } from "bosun";
import { assertDefinitionsPassChecks } from "./check-definitions.ts";
import type { CodeOrigin } from "./code-origin.ts";
import type { DefinitionChecks } from "./definition-checks.ts";

export type { CodeOrigin } from "./code-origin.ts";

/** A code origin for messages: the file path, or `module <name>`. */
export function describeOrigin(origin: CodeOrigin): string {
  return "file" in origin ? origin.file : `module ${origin.module}`;
}

/** The code location could not be loaded; carries the user's error as its cause. */
export class CodeLoadError extends Error {
  constructor(
    readonly origin: CodeOrigin,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot load code location from ${describeOrigin(origin)}: ${message}`, options);
    this.name = "CodeLoadError";
  }
}

/** How `loadDefinitions` checks what it loaded: the plugins' definition checks and the location's container context. */
export interface LoadDefinitionsOptions {
  /**
   * Plugins' checks of tags and container context sections (the `bosun` command passes its plugins'
   * checks). A value that fails one fails the load with a `DefinitionError` (`INVALID_CONFIG`), so a
   * misspelt key is reported when the location loads rather than when a run of it starts.
   */
  readonly checks?: DefinitionChecks;
  /** The location's container context, for `checks.containerContext`. */
  readonly containerContext?: JsonValue | null;
}

/**
 * Imports a code location and returns its definitions: the module's default export (or a named export
 * `definitions`). TypeScript files load through tsx, registered by the `bosun` CLI and its workers.
 *
 * @example
 * const definitions = await loadDefinitions({ file: "defs.ts" }, { checks: PLUGIN_DEFINITION_CHECKS });
 */
export async function loadDefinitions(
  origin: CodeOrigin,
  options: LoadDefinitionsOptions = {},
): Promise<Definitions> {
  let specifier: string;
  if ("file" in origin) {
    const absolute = path.resolve(origin.file);
    if (!existsSync(absolute)) throw new CodeLoadError(origin, `no such file ${absolute}`);
    specifier = pathToFileURL(absolute).href;
  } else {
    specifier = origin.module;
  }
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    throw new CodeLoadError(origin, (error as Error)?.message ?? String(error), { cause: error });
  }
  const candidate = loaded.default ?? loaded.definitions;
  if (!isDefinitions(candidate)) {
    throw new CodeLoadError(origin, "it must `export default defineDefinitions({ ... })`");
  }
  if (options.checks) {
    try {
      await assertDefinitionsPassChecks(candidate, options.checks, options.containerContext ?? null);
    } catch (error) {
      // Reported like a definitions error the SDK throws at import: the same wrapper, the same cause.
      if (error instanceof DefinitionError) throw new CodeLoadError(origin, error.message, { cause: error });
      throw error;
    }
  }
  return candidate;
}

/** The origin with a file path made absolute, so another process in another directory loads the same file. */
export function absoluteOrigin(origin: CodeOrigin): CodeOrigin {
  return "file" in origin ? { file: path.resolve(origin.file) } : origin;
}
