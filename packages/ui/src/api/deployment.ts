/**
 * The deployment the UI shows, from its URL: `/d/<deployment>/runs` is the Runs page of that
 * deployment, and a URL without the prefix is `prod`'s (so every link from before deployments still
 * works). The router runs under `/d/<deployment>`, so the pages' own links stay in the deployment, and
 * every API call and stream is sent to `/api/d/<deployment>/...`. Switching deployments loads the new
 * URL afresh: no cached answer of one deployment can show in another.
 */

/** The full deployment every instance has. */
export const PROD = "prod";

const PREFIX = /^\/d\/([a-z0-9][a-z0-9-]{0,39})(?=\/|$)/;

/** The deployment a pathname names, `prod` without the prefix. */
export function deploymentOfPath(pathname: string): string {
  return PREFIX.exec(pathname)?.[1] ?? PROD;
}

/** The router's basename: `/d/<deployment>` when the page's URL has one. */
export function routerBasename(pathname: string = window.location.pathname): string | undefined {
  return PREFIX.exec(pathname)?.[0];
}

/** The page's pathname inside its deployment (`/d/feat/runs` → `/runs`). */
export function pathInDeployment(pathname: string): string {
  const prefix = PREFIX.exec(pathname)?.[0];
  return prefix ? pathname.slice(prefix.length) || "/" : pathname;
}

/** The deployment this page shows. */
export function currentDeployment(): string {
  return deploymentOfPath(window.location.pathname);
}

/** An API path sent to the current deployment: `/api/runs` → `/api/d/feat/runs` (prod's unchanged). */
export function apiPathIn(deployment: string, path: string): string {
  return deployment === PROD || !path.startsWith("/api/") ? path : `/api/d/${deployment}/${path.slice(5)}`;
}

/** `apiPathIn` for the deployment this page shows. */
export function apiPath(path: string): string {
  return apiPathIn(currentDeployment(), path);
}

/** The UI's home page of a deployment. */
export function deploymentHome(deployment: string): string {
  return deployment === PROD ? "/" : `/d/${deployment}/`;
}
