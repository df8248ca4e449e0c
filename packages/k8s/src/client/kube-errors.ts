/** Reading the HTTP status out of whatever the Kubernetes client threw. */
import { ApiException } from "@kubernetes/client-node";

/** The HTTP status of a failed API call, or undefined for a network error (no response). */
export function kubeStatusCode(error: unknown): number | undefined {
  if (error instanceof ApiException) return error.code;
  const code = (error as { code?: unknown; statusCode?: unknown } | null)?.code;
  if (typeof code === "number") return code;
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof statusCode === "number" ? statusCode : undefined;
}

/** 500, 503 and 504 are the API server being briefly unable to answer; the call is worth repeating. */
export const RETRIED_STATUS_CODES: readonly number[] = [500, 503, 504];

/** The innermost `code` of an error's cause chain (undici puts the socket's code under `cause`). */
function causeCode(error: unknown): string | undefined {
  let current = error as { code?: unknown; cause?: unknown } | null | undefined;
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current.code === "string") return current.code;
    current = current.cause as typeof current;
  }
  return undefined;
}

/** A connection that failed before any answer (reset, refused while the API server restarts, `fetch failed`). */
export function isNetworkError(error: unknown): boolean {
  if (kubeStatusCode(error) !== undefined) return false;
  const code = causeCode(error);
  if (code !== undefined) return /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code);
  return /fetch failed|socket hang up|terminated/i.test((error as Error | null)?.message ?? "");
}

/** The message of the API's `Status` body when there is one, else the error's own. */
export function kubeErrorMessage(error: unknown): string {
  if (error instanceof ApiException) {
    const body = error.body as unknown;
    const parsed = typeof body === "string" ? safeJson(body) : body;
    const message = (parsed as { message?: unknown } | null)?.message;
    if (typeof message === "string") return `${message} (HTTP ${error.code})`;
    return `HTTP ${error.code}`;
  }
  const code = causeCode(error);
  const message = (error as Error)?.message ?? String(error);
  return code === undefined || message.includes(code) ? message : `${message} (${code})`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
