import { existsSync, readFileSync } from "node:fs";
import { type JsonValue, stringifyTags } from "@bosun/core";
import { absoluteOrigin, type CodeOrigin } from "@bosun/engine";
import type { Command } from "commander";
import YAML from "yaml";
import { CliError } from "./cli-error.ts";

export interface OriginOptions {
  readonly file?: string;
  readonly module?: string;
}

export function originFrom(options: OriginOptions): CodeOrigin {
  if (options.file && options.module) throw new CliError("give either -f/--file or -m/--module, not both", 2);
  if (options.file) return absoluteOrigin({ file: options.file });
  if (options.module) return { module: options.module };
  throw new CliError("say where the code is: -f <file.ts> or -m <module>", 2);
}

/** `--config` takes a YAML/JSON file path, or YAML/JSON text. */
export function parseRunConfigOption(value: string | undefined): JsonValue | undefined {
  if (value === undefined) return undefined;
  const text = existsSync(value) ? readFileSync(value, "utf8") : value;
  let parsed: unknown;
  try {
    parsed = YAML.parse(text);
  } catch (error) {
    throw new CliError(`--config is not valid YAML or JSON: ${(error as Error).message}`, 2);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new CliError(
      `--config must be a mapping (e.g. "ops: {generate_numbers: {config: {count: 3}}}") or a file holding one`,
      2,
    );
  }
  return parsed as JsonValue;
}

/** Declares `--tag key=value` (repeatable) on a command: every command that takes tags uses this. */
export function tagOption(command: Command, description: string): Command {
  return command.option("--tag <key=value>", `${description} (repeatable)`, collect);
}

/**
 * `--tag key=value`, repeatable: the one tag syntax of every command (run tags of `job execute`,
 * `job launch`, `asset materialize`; the filter of `run list`). The value may contain `=`; the key may
 * not be empty. A later `--tag` with the same key wins.
 */
export function parseTagOptions(values: readonly string[] | undefined): Record<string, string> | undefined {
  if (!values || values.length === 0) return undefined;
  const tags: Record<string, string> = {};
  for (const value of values) {
    const index = value.indexOf("=");
    if (index <= 0)
      throw new CliError(
        `--tag expects key=value (e.g. --tag team=data), got ${JSON.stringify(value)}${index === 0 ? ": the key is empty" : ""}`,
        2,
      );
    tags[value.slice(0, index)] = value.slice(index + 1);
  }
  try {
    return stringifyTags(tags);
  } catch (error) {
    throw new CliError(`--tag: ${(error as Error).message}`, 2);
  }
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
