import type { FastifyInstance } from "fastify";
import { ApiError, invalidInput } from "../api/api-error.ts";
import { join } from "../api/validation-issues.ts";
import { textIssues } from "../input/text-issues.ts";
import type { HostPolicy } from "./host-policy.ts";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Probes that must answer whatever name they use: the kubelet sends the pod's IP as Host. They reveal
 * nothing a rebinding page could use.
 */
const HOST_EXEMPT_PATHS = new Set(["/api/health", "/api/ready"]);

/**
 * Checks every request meets before its handler runs, in this order: the Host it names (DNS rebinding),
 * the Origin of a mutating call (cross-site requests), read-only mode, then path and query text storage
 * cannot keep (NUL, lone surrogates). Each refusal is a 4xx in the API's error shape.
 */
export function registerRequestGuards(
  app: FastifyInstance,
  options: { readonly hosts: HostPolicy; readonly readOnly: boolean },
): void {
  const { hosts, readOnly } = options;
  app.addHook("onRequest", async (request) => {
    const pathname = request.url.split("?")[0] ?? "/";
    const host = request.headers.host;
    if (!HOST_EXEMPT_PATHS.has(pathname) && !hosts.allowsHost(host))
      throw new ApiError(
        "HOST_NOT_ALLOWED",
        `this webserver does not answer to Host ${JSON.stringify(host ?? "")}; it answers to ${hosts.names.join(", ")} (add a name with the publicUrl or allowedHosts option, or BOSUN_WEBSERVER_PUBLIC_URL / BOSUN_WEBSERVER_ALLOWED_HOSTS)`,
        { issues: [{ field: "headers.host", message: `must name one of: ${hosts.names.join(", ")}` }] },
      );
    const mutating = MUTATING.has(request.method);
    const origin = request.headers.origin;
    if (mutating && !hosts.allowsOrigin(origin, host))
      throw new ApiError(
        "ORIGIN_NOT_ALLOWED",
        `${request.method} from Origin ${JSON.stringify(origin)} is refused: only pages served by this webserver may change things`,
        {
          issues: [
            { field: "headers.origin", message: `must be a page on one of: ${hosts.names.join(", ")}` },
          ],
        },
      );
    if (readOnly && mutating)
      throw new ApiError(
        "READ_ONLY",
        `this webserver is read-only: ${request.method} ${pathname} is refused`,
      );
  });

  app.addHook("preValidation", async (request) => {
    const issues = [
      ...textIssues(request.params, "params"),
      ...badQueryEncoding(request.url),
      ...textIssues(request.query, "query"),
    ];
    if (issues.length > 0) throw invalidInput(issues);
  });
}

/**
 * Query parameters whose %-encoding does not decode to UTF-8. The query string parser keeps such a value
 * as its raw text, so `?job=%C3%28` would silently filter on the literal `%C3%28`; refuse it instead.
 */
function badQueryEncoding(url: string): { field: string; message: string }[] {
  const at = url.indexOf("?");
  if (at < 0) return [];
  const issues: { field: string; message: string }[] = [];
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
