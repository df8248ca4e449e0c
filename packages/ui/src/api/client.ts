import { connection } from "./connection.ts";
import { csrfHeaders } from "./csrf.ts";
import { apiPath } from "./deployment.ts";
import type { ApiErrorBody, FieldIssue } from "./types.ts";

/** The webserver answered with an error body: `code` is stable, `message` is for people. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = "ApiRequestError";
  }

  /** Field issues (`details.issues`), e.g. run config paths for `INVALID_RUN_CONFIG`. */
  get issues(): readonly FieldIssue[] {
    const issues = this.details.issues;
    return Array.isArray(issues) ? (issues as FieldIssue[]) : [];
  }
}

/** The webserver could not be reached at all (down, restarting, network gone). */
export class UnreachableError extends Error {
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`the webserver did not answer (${url})`, { cause });
    this.name = "UnreachableError";
  }
}

export type QueryValue = string | number | boolean | null | undefined | readonly string[];

/** `?a=1&tag=x=y&tag=u=v`: arrays repeat the key; empty values are left out. */
export function queryString(params: Readonly<Record<string, QueryValue>>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) for (const item of value) search.append(key, item);
    else search.append(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

async function request<T>(method: string, pathInDeployment: string, body?: unknown): Promise<T> {
  // Every call goes to the deployment the page shows.
  const path = apiPath(pathInDeployment);
  let response: Response;
  try {
    const csrf = method === "GET" ? {} : await csrfHeaders();
    response = await fetch(path, {
      method,
      headers:
        body === undefined
          ? { accept: "application/json", ...csrf }
          : { "content-type": "application/json", accept: "application/json", ...csrf },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    connection.reportFailure();
    throw new UnreachableError(path, error);
  }
  // A proxy in front of a stopped webserver answers 502/503/504 without our error body.
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!response.ok) {
    const error = (parsed as ApiErrorBody | null)?.error;
    if (!error && response.status >= 502 && response.status <= 504) {
      connection.reportFailure();
      throw new UnreachableError(path, new Error(`HTTP ${response.status}`));
    }
    connection.reportSuccess();
    throw new ApiRequestError(
      response.status,
      error?.code ?? `HTTP_${response.status}`,
      error?.message ?? `${method} ${path} answered ${response.status}`,
      error?.details ?? {},
    );
  }
  connection.reportSuccess();
  return parsed as T;
}

export const api = {
  get: <T>(path: string, params: Readonly<Record<string, QueryValue>> = {}) =>
    request<T>("GET", `${path}${queryString(params)}`),
  post: <T>(path: string, body: unknown = {}) => request<T>("POST", path, body),
};

/** Encodes one path segment (names may hold any character). */
export const seg = (value: string) => encodeURIComponent(value);
