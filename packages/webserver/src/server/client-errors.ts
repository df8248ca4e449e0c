import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { ApiError, invalidInput } from "../api/api-error.ts";

/**
 * Requests Node's HTTP parser refuses before fastify sees them (headers over 16 KiB, a malformed
 * request line or chunk). Fastify's default answer is not the API's error shape; this one is, written
 * straight to the socket because there is no request to reply through.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection has nobody to answer.
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const apiError =
    error.code === "HPE_HEADER_OVERFLOW"
      ? new ApiError("HEADERS_TOO_LARGE", "the request's headers (with the URL) exceed 16 KiB", {
          issues: [{ field: "headers", message: "larger than 16 KiB in total (URL included)" }],
        })
      : error.code === "HPE_INVALID_URL"
        ? invalidInput([
            {
              field: "url",
              message: "holds characters that must be %-encoded (spaces, controls, non-ASCII bytes)",
            },
          ])
        : invalidInput([
            {
              field: "request",
              message: `is not a well-formed HTTP request (${error.code ?? "parse error"})`,
            },
          ]);
  if (socket.writable) {
    const body = JSON.stringify(apiError.toBody());
    socket.write(
      `HTTP/1.1 ${apiError.statusCode} ${STATUS_CODES[apiError.statusCode]}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/** Errors fastify raises before routing (a path whose %-encoding is not valid UTF-8), in the API's shape. */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const apiError =
    error.code === "FST_ERR_BAD_URL"
      ? invalidInput([
          {
            field: "path",
            message: `bad %-encoding in ${JSON.stringify(request.raw.url?.split("?")[0] ?? "")}: each %XX must form valid UTF-8`,
          },
        ])
      : error.code === "FST_ERR_MAX_PARAM_LENGTH"
        ? invalidInput([{ field: "path", message: "a path parameter is longer than the server accepts" }])
        : invalidInput([{ field: "request", message: error.message }]);
  void reply.code(apiError.statusCode).send(apiError.toBody());
}
