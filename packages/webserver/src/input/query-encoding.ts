import type { FieldIssue } from "../api/api-error.ts";
import { join } from "../api/validation-issues.ts";

/**
 * Query parameters whose %-encoding does not decode to UTF-8. The query string parser keeps such a value
 * as its raw text, so `?job=%C3%28` would silently filter on the literal `%C3%28`; refuse it instead.
 */
export function badQueryEncoding(url: string): FieldIssue[] {
  const at = url.indexOf("?");
  if (at < 0) return [];
  const issues: FieldIssue[] = [];
  for (const pair of url.slice(at + 1).split("&")) {
    const [key = "", value = ""] = pair.split(/=(.*)/s);
    for (const part of [key, value]) {
      try {
        decodeURIComponent(part.replaceAll("+", " "));
      } catch {
        issues.push({
          field: join("query", safeDecode(key)),
          message: "bad %-encoding: each %XX must form valid UTF-8",
        });
        break;
      }
    }
  }
  return issues;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll("+", " "));
  } catch {
    return text;
  }
}
