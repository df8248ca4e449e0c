import type { IncomingMessage } from "node:http";
import { DEPLOYMENT_NAME_PATTERN, PROD_DEPLOYMENT } from "@bosun/storage";
import { invalidInput } from "../api/api-error.ts";

/**
 * How a request names its deployment. The path prefix `/api/d/<deployment>/...` is the one the UI and
 * links use (an EventSource cannot set headers); clients may send the `X-Bosun-Deployment` header
 * instead. Neither means `prod`, so every URL from before deployments keeps working unchanged.
 */
export const DEPLOYMENT_HEADER = "x-bosun-deployment";

const PREFIX = /^\/api\/d\/([^/?]*)(?=[/?]|$)/;
const FROM_PATH = Symbol("bosun.deploymentFromPath");

type Tagged = IncomingMessage & { [FROM_PATH]?: string };

/**
 * Fastify's `rewriteUrl`: strips `/api/d/<deployment>` so that every route is registered (and listed
 * in the access table and OpenAPI document) once, and keeps the name for `deploymentNameOf`.
 */
export function stripDeploymentPrefix(request: IncomingMessage): string {
  const url = request.url ?? "/";
  const match = PREFIX.exec(url);
  if (!match) return url;
  (request as Tagged)[FROM_PATH] = decodeURIComponent(match[1] ?? "");
  return `/api${url.slice(match[0].length)}`;
}

/**
 * The deployment a request names, `prod` when it names none; 400 naming the field when the name is
 * malformed or the path and header disagree.
 */
export function deploymentNameOf(raw: IncomingMessage, headers: IncomingMessage["headers"]): string {
  const fromPath = (raw as Tagged)[FROM_PATH];
  const header = headers[DEPLOYMENT_HEADER];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  if (fromPath !== undefined && fromHeader !== undefined && fromPath !== fromHeader)
    throw invalidInput([
      {
        field: `headers.${DEPLOYMENT_HEADER}`,
        message: `names deployment "${fromHeader}" but the path names "${fromPath}"; send one`,
      },
    ]);
  const name = fromPath ?? fromHeader ?? PROD_DEPLOYMENT;
  if (!DEPLOYMENT_NAME_PATTERN.test(name))
    throw invalidInput([
      {
        field: fromPath !== undefined ? "path.deployment" : `headers.${DEPLOYMENT_HEADER}`,
        message: `must be a deployment name (lowercase letters, digits and dashes, at most 40), got ${JSON.stringify(name)}`,
      },
    ]);
  return name;
}
