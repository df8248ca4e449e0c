import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { type Definitions, isDefinitions } from "bosun";
import type { CodeOrigin } from "./code-origin.ts";

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

/**
 * Imports a code location and returns its definitions: the module's default export (or a named export
 * `definitions`). TypeScript files load through tsx, registered by the `bosun` CLI and its workers.
 */
export async function loadDefinitions(origin: CodeOrigin): Promise<Definitions> {
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
  return candidate;
}

/** The origin with a file path made absolute, so another process in another directory loads the same file. */
export function absoluteOrigin(origin: CodeOrigin): CodeOrigin {
  return "file" in origin ? { file: path.resolve(origin.file) } : origin;
}
