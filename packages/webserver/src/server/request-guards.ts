import type { FastifyInstance } from "fastify";
import { ApiError, invalidInput } from "../api/api-error.ts";
import { badQueryEncoding } from "../input/query-encoding.ts";
import { textIssues } from "../input/text-issues.ts";
import type { HostPolicy } from "./host-policy.ts";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Whether a request method changes things (and so is checked for Origin, read-only mode, and audited). */
export function isMutating(method: string): boolean {
  return MUTATING.has(method);
}

/**
 * Probes answer whatever name they are called by (a probe or load balancer health check may name a
 * Service or any address); they reveal nothing a rebinding page could use.
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
    const mutating = isMutating(request.method);
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
