import type { FieldIssue } from "../api/api-error.ts";
import { join } from "../api/validation-issues.ts";
import { INPUT_LIMITS } from "./input-limits.ts";

/**
 * Text that PostgreSQL cannot store, or that would be stored differently from what was sent, found
 * anywhere in a request part (path parameters, query, parsed JSON body): a NUL character (text and jsonb
 * refuse it), and a lone UTF-16 surrogate (not a character: jsonb refuses it, text would store U+FFFD).
 * Also `__proto__` keys, which mean nothing in Bosun and are a known way to poison merged objects.
 * Refusing them here turns what used to be a database error (500) into a 400 naming the field.
 *
 * Walks iteratively and stops at `INPUT_LIMITS.jsonDepth`, so a hostile value cannot exhaust the stack.
 */
export function textIssues(value: unknown, root: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const stack: { value: unknown; field: string; depth: number }[] = [{ value, field: root, depth: 0 }];
  while (stack.length > 0 && issues.length < 20) {
    const { value: current, field, depth } = stack.pop()!;
    if (typeof current === "string") {
      const problem = stringProblem(current);
      if (problem) issues.push({ field, message: problem });
      continue;
    }
    if (current === null || typeof current !== "object") continue;
    if (depth >= INPUT_LIMITS.jsonDepth) {
      issues.push({ field, message: `nested deeper than ${INPUT_LIMITS.jsonDepth} levels` });
      continue;
    }
    if (Array.isArray(current)) {
      current.forEach((item, index) => {
        stack.push({ value: item, field: join(field, index), depth: depth + 1 });
      });
      continue;
    }
    for (const [key, item] of Object.entries(current)) {
      const keyProblem = key === "__proto__" ? "__proto__ is not allowed as a key" : stringProblem(key);
      if (keyProblem) {
        issues.push({ field: join(field, key), message: `key: ${keyProblem}` });
        continue;
      }
      stack.push({ value: item, field: join(field, key), depth: depth + 1 });
    }
  }
  return issues;
}

/** What is wrong with one string, in words; null when it can be stored as sent. */
export function stringProblem(text: string): string | null {
  if (text.includes("\u0000")) return "must not contain a NUL character (\\u0000)";
  if (!text.isWellFormed()) return "must be valid Unicode (it holds a lone UTF-16 surrogate)";
  return null;
}
