import { CliError } from "./cli-error.ts";

/** Where `bosun deploy` and other remote commands find the control plane, unless `--url` says. */
export const CONTROL_PLANE_URL_ENV = "BOSUN_URL";
/** The token remote commands send, unless `--token` gives one. */
export const TOKEN_ENV = "BOSUN_TOKEN";

/** How a remote command reaches the control plane: its URL and a user token. */
export interface ControlPlaneTarget {
  readonly url: string;
  readonly token: string | null;
}

/** The target from `--url`/`--token`, else `BOSUN_URL`/`BOSUN_TOKEN`; the URL is required. */
export function controlPlaneTarget(
  options: { url?: string; token?: string },
  env: Readonly<Record<string, string | undefined>> = process.env,
): ControlPlaneTarget {
  const url = options.url ?? env[CONTROL_PLANE_URL_ENV];
  if (!url)
    throw new CliError(
      `no control plane URL: pass --url https://bosun.example.com or set ${CONTROL_PLANE_URL_ENV}`,
      2,
    );
  if (!/^https?:\/\//.test(url)) throw new CliError(`--url ${JSON.stringify(url)} is not an http(s) URL`, 2);
  return { url: url.replace(/\/+$/, ""), token: options.token ?? env[TOKEN_ENV] ?? null };
}

/**
 * Calls the control plane's API and returns the parsed body of a 2xx answer; any other answer becomes
 * one `CliError` with the API's own message (which names fields and suggestions).
 */
export async function callControlPlane<T>(
  target: ControlPlaneTarget,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${target.url}${path}`, {
      method,
      headers: {
        ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (error) {
    throw new CliError(`cannot reach the control plane at ${target.url}: ${(error as Error).message}`);
  }
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  if (response.ok) return parsed as T;
  const error = (parsed as { error?: { code?: string; message?: string } } | null)?.error;
  const hint = response.status === 401 && !target.token ? ` (pass --token or set ${TOKEN_ENV})` : "";
  throw new CliError(
    `${method} ${path} answered ${response.status} ${error?.code ?? ""}: ${error?.message ?? text}${hint}`.replace(
      /\s+:/,
      ":",
    ),
  );
}
