import { CliError } from "./cli-error.ts";

/** Where the token of commands that call the webserver's API comes from (never an argument: `ps` shows those). */
export const TOKEN_ENV = "BOSUN_TOKEN";
/** The webserver's URL when `--url` is not given. */
export const URL_ENV = "BOSUN_URL";
const DEFAULT_URL = "http://127.0.0.1:3000";

/** A webserver to call: its URL and the caller's token, if any. */
export interface WebserverTarget {
  readonly url: string;
  readonly token: string | undefined;
}

/** `--url`, else `$BOSUN_URL`, else the local default; the token from `$BOSUN_TOKEN`. */
export function webserverTarget(
  url: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): WebserverTarget {
  const chosen = url ?? env[URL_ENV] ?? DEFAULT_URL;
  try {
    new URL(chosen);
  } catch {
    throw new CliError(`--url ${JSON.stringify(chosen)} is not a URL (e.g. https://bosun.example.com)`, 2);
  }
  return { url: chosen.replace(/\/+$/, ""), token: env[TOKEN_ENV] || undefined };
}

/**
 * Calls the webserver's JSON API and returns the parsed answer. An error answer becomes a `CliError`
 * with the API's own message (which names the field at fault); an unreachable server says where.
 */
export async function callWebserver<T>(
  target: WebserverTarget,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (target.token) headers.authorization = `Bearer ${target.token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(`${target.url}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (error) {
    throw new CliError(
      `cannot reach the webserver at ${target.url}: ${(error as Error).cause ?? (error as Error).message}`,
    );
  }
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as unknown) : {};
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string } }).error;
    const hint = response.status === 401 && !target.token ? ` (set $${TOKEN_ENV} to an API token)` : "";
    throw new CliError(`${response.status} ${error?.code ?? ""}: ${error?.message ?? text}${hint}`.trim());
  }
  return parsed as T;
}
