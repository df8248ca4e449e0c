import { StorageUnavailableError } from "../storage-errors.ts";

const NODE_NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused (is PostgreSQL running and listening on that port?)",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ECONNRESET: "connection reset by the server",
};

const POSTGRES_REASONS: Readonly<Record<string, string>> = {
  "28P01": "authentication failed (wrong user name or password)",
  "28000": "the server refused this user or client address (pg_hba.conf)",
  "3D000": "the database does not exist",
  "57P01": "the server was shut down (administrator command)",
  "57P02": "the server crashed and is restarting",
  "57P03": "the server is starting up or shutting down",
  "53300": "the server has too many connections",
};

/**
 * Whether a failure to connect is about reaching or being admitted by the server (as opposed to a bug
 * in a query), and if so the `StorageUnavailableError` that says where and why. The reason never holds
 * the password, even if a driver message were to echo it.
 */
export function toStorageUnavailableError(
  error: unknown,
  target: string,
  options: { readonly password?: string; readonly passwordHint?: string } = {},
): StorageUnavailableError | null {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  let reason: string | undefined;
  if (code && NODE_NETWORK_REASONS[code]) reason = NODE_NETWORK_REASONS[code];
  else if (code && POSTGRES_REASONS[code]) reason = `${POSTGRES_REASONS[code]}: ${message}`;
  else if (code?.startsWith("08")) reason = message;
  else if (/timeout/i.test(message)) reason = `connection timed out (${message})`;
  else if (/password must be a string|no password/i.test(message))
    reason = "the server asks for a password and none was given";
  else if (/ssl|certificate/i.test(message)) reason = `TLS failed: ${message}`;
  else if (/Connection terminated/i.test(message)) reason = message;
  if (!reason) return null;
  if ((code === "28P01" || /password/.test(reason)) && options.passwordHint)
    reason += ` (${options.passwordHint})`;
  if (options.password) reason = reason.split(options.password).join("***");
  return new StorageUnavailableError(target, reason, { cause: scrubbedCause(error, options.password) });
}

function scrubbedCause(error: unknown, password: string | undefined): unknown {
  if (!password || !(error instanceof Error) || !error.message.includes(password)) return error;
  return new Error(error.message.split(password).join("***"));
}
