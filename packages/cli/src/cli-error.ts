import { CodeLoadError } from "@bosun/engine";
import { DefinitionError } from "bosun";

/** A failure the CLI reports as one message and a non-zero exit, without a stack trace of ours. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/**
 * The message to print for an error. Errors of ours carry clear messages; a code location that throws
 * at import shows the user's own error with the first lines of its stack, which point into their code.
 */
export function describeCliError(error: unknown): string {
  if (error instanceof CodeLoadError) {
    const cause = error.cause as Error | undefined;
    if (cause instanceof DefinitionError) return `${error.message}`;
    const stack = cause?.stack
      ?.split("\n")
      .filter((line) => line.trimStart().startsWith("at "))
      .slice(0, 5)
      .join("\n");
    return stack ? `${error.message}\n${stack}` : error.message;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
