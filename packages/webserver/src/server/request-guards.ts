import type { FastifyInstance } from "fastify";
import { ApiError, invalidInput } from "../api/api-error.ts";
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
        `this webserver does not answer to Host ${JSON.stringify(host ?? "")}; it answers to ${hosts.names.join(", ")} (set --public-url or --allowed-host to add a name)`,
        { issues: [{ field: "headers.host", message: `must name one of: ${hosts.names.join(", ")}` }] },
      );
    const mutating = MUTATING.has(request.method);
    const origin = request.headers.origin;
    if (mutating && !hosts.allowsOrigin(origin))
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
    const issues = [...textIssues(request.params, "params"), ...textIssues(request.query, "query")];
    if (issues.length > 0) throw invalidInput(issues);
  });
}
