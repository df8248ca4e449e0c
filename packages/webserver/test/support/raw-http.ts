import net from "node:net";

/** A request sent byte for byte as given: paths, headers and bodies `fetch` would normalise or refuse. */
export interface RawRequest {
  readonly method: string;
  /** The request target exactly as it goes on the wire (`/api/runs/%00?afterSeq=1e40`). */
  readonly path: string;
  /** Sent in order after Host (unless `host` replaces it); values are written as given. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Default `127.0.0.1:<port>`; null sends no Host header. */
  readonly host?: string | null;
  readonly body?: string | Buffer;
  /** Sends Content-Length for the body (default true). */
  readonly contentLength?: boolean;
  /** Replaces the whole request head (request line and headers) for malformed HTTP; a Buffer goes out byte for byte. */
  readonly rawHead?: string | Buffer;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read any field of a JSON body
  readonly json: any;
}

/** Sends one request on its own connection (`Connection: close`) and reads the whole response. */
export function rawRequest(baseUrl: string, request: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const body =
    request.body === undefined
      ? Buffer.alloc(0)
      : Buffer.isBuffer(request.body)
        ? request.body
        : Buffer.from(request.body, "utf8");
  let head = request.rawHead;
  if (head === undefined) {
    const lines = [`${request.method} ${request.path} HTTP/1.1`];
    const host = request.host === undefined ? url.host : request.host;
    if (host !== null) lines.push(`Host: ${host}`);
    for (const [name, value] of Object.entries(request.headers ?? {})) lines.push(`${name}: ${value}`);
    if (request.body !== undefined && request.contentLength !== false)
      lines.push(`Content-Length: ${body.length}`);
    lines.push("Connection: close");
    head = `${lines.join("\r\n")}\r\n\r\n`;
  }
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    // The server may close after answering before it read everything we sent (e.g. a 431).
    socket.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "ECONNRESET" && error.code !== "EPIPE") reject(error);
    });
    socket.on("close", () => {
      try {
        resolve(parseResponse(Buffer.concat(chunks)));
      } catch (error) {
        reject(error);
      }
    });
    socket.setTimeout(20_000, () => socket.destroy(new Error("no response within 20 s")));
    socket.write(head);
    if (body.length > 0) socket.write(body);
  });
}

function parseResponse(bytes: Buffer): RawResponse {
  const split = bytes.indexOf("\r\n\r\n");
  if (split < 0) throw new Error(`no HTTP response (got ${JSON.stringify(bytes.toString("latin1"))})`);
  const [statusLine, ...headerLines] = bytes.subarray(0, split).toString("latin1").split("\r\n");
  const status = Number(statusLine!.split(" ")[1]);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const at = line.indexOf(":");
    headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  let rest = bytes.subarray(split + 4);
  if (headers["transfer-encoding"] === "chunked") rest = dechunk(rest);
  const text = rest.toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status, headers, text, json };
}

function dechunk(bytes: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const end = bytes.indexOf("\r\n", at);
    if (end < 0) break;
    const size = Number.parseInt(bytes.subarray(at, end).toString("latin1"), 16);
    if (!size) break;
    parts.push(bytes.subarray(end + 2, end + 2 + size));
    at = end + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
