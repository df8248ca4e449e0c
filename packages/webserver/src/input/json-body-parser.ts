import type { FastifyInstance } from "fastify";
import { invalidInput } from "../api/api-error.ts";
import { INPUT_LIMITS } from "./input-limits.ts";
import { textIssues } from "./text-issues.ts";

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * Replaces fastify's JSON parser with a strict one: the body must be valid UTF-8 (fastify's decodes
 * invalid bytes to U+FFFD and stores the result, silently changing what was sent), nested at most
 * `INPUT_LIMITS.jsonDepth` deep (checked on the text before parsing, so a 5,000-deep run config never
 * reaches a code server), and free of text storage cannot keep (see `textIssues`). Each refusal is one
 * 400 naming `body` or the field inside it.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  // JSON only: fastify would otherwise hand a text/plain body to the route as a string.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    "application/json",
    { parseAs: "buffer", bodyLimit: INPUT_LIMITS.bodyBytes },
    (_request, raw, done) => {
      try {
        done(null, parseJsonBody(raw as Buffer));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
}

export function parseJsonBody(raw: Buffer): unknown {
  let text: string;
  try {
    text = UTF8.decode(raw);
  } catch {
    throw invalidInput([{ field: "body", message: "is not valid UTF-8" }]);
  }
  if (text.trim() === "") throw invalidInput([{ field: "body", message: "is empty; send a JSON object" }]);
  const depth = maxNesting(text);
  if (depth > INPUT_LIMITS.jsonDepth)
    throw invalidInput([
      {
        field: "body",
        message: `nested ${depth} levels deep; at most ${INPUT_LIMITS.jsonDepth} are allowed`,
      },
    ]);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalidInput([{ field: "body", message: `is not valid JSON (${(error as Error).message})` }]);
  }
  const issues = textIssues(value, "body");
  if (issues.length > 0) throw invalidInput(issues);
  return value;
}

/** The deepest nesting of `[` and `{` outside strings (a linear scan; the text need not be valid JSON). */
function maxNesting(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}
