import type { FastifyInstance } from "fastify";
import { accessOf } from "../auth/register-auth.ts";
import { isMutating } from "../server/request-guards.ts";
import { deploymentNameOf } from "./deployment-address.ts";
import type { DeploymentScopes } from "./deployment-scope.ts";

/**
 * Routes whose objects are instance-wide (tokens, sessions, the audit log, the deployments registry):
 * they work the same whichever deployment a request names, and a closed deployment does not stop them.
 */
const INSTANCE_WIDE = ["/api/tokens", "/api/users/", "/api/audit", "/api/auth/", "/api/deployments"];

/**
 * Sets `request.deployment` on every API route that needs a permission, after authentication (so an
 * unauthenticated caller learns no deployment names): 400 for a malformed name, 404 for an unknown one,
 * and 409 DEPLOYMENT_CLOSED for a write into a closed deployment, which keeps its history read-only.
 */
export function registerDeploymentHook(app: FastifyInstance, scopes: DeploymentScopes): void {
  app.decorateRequest("deployment", null);
  app.addHook("onRequest", async (request) => {
    const found = accessOf(request);
    if (!found || !("permission" in found.access)) return;
    const url = request.routeOptions.url ?? "";
    if (INSTANCE_WIDE.some((prefix) => url.startsWith(prefix))) return;
    const name = deploymentNameOf(request.raw, request.headers);
    request.deployment = isMutating(request.method)
      ? await scopes.resolveForWrite(name, `${request.method} ${url}`)
      : await scopes.resolve(name);
  });
}
