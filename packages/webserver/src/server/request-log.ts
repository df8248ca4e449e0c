import type { FastifyRequest, FastifyServerOptions } from "fastify";

/** Query parameters that carry credentials: an authorization code (and its state) on the sign-in callback. */
const SECRET_QUERY_PARAMETERS = ["code", "state", "session_state"];

/** A request's URL as logged: the sign-in callback's code and state replaced by `[redacted]`. */
export function redactedUrl(url: string): string {
  const question = url.indexOf("?");
  if (question === -1) return url;
  const query = new URLSearchParams(url.slice(question + 1));
  let changed = false;
  for (const name of SECRET_QUERY_PARAMETERS)
    if (query.has(name)) {
      query.set(name, "[redacted]");
      changed = true;
    }
  return changed ? `${url.slice(0, question)}?${query.toString()}` : url;
}

/**
 * Fastify's logger option with requests logged like Fastify does (method, URL, host, address), but
 * with credentials in the URL redacted; headers (cookies, tokens) are never logged.
 */
export function withRequestRedaction(logger: FastifyServerOptions["logger"]): FastifyServerOptions["logger"] {
  if (logger === undefined || logger === false || logger === true) return logger ?? false;
  return {
    ...logger,
    serializers: {
      ...logger.serializers,
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: redactedUrl(request.url),
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
  };
}
