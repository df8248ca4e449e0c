import type { FastifyReply, FastifyRequest } from "fastify";
import { invalidInput } from "../api/api-error.ts";

/** Default for `maxBufferedBytes`: far above what a reading client ever leaves queued. */
export const DEFAULT_SSE_MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/**
 * One Server-Sent Events response. Frames are `id:` (when given), `event:` (when not the default
 * "message"), then `data:` lines; a comment line (`: heartbeat`) is written every `heartbeatMs` so proxies
 * keep the connection open and a dead client is noticed. `closed` resolves once, when either side ends
 * the stream; whatever was registered with `onClose` runs then (e.g. closing a storage subscription).
 *
 * Slow clients: `send` says when the socket is full, and `drained()` waits for room, so a sender that can
 * pause (replaying stored events) keeps memory bounded. A live sender cannot pause; when more than
 * `maxBufferedBytes` are queued for a client that is not reading, the stream is closed, and the client's
 * EventSource reconnects and resumes from its Last-Event-ID.
 */
export class SseStream {
  private readonly heartbeat: NodeJS.Timeout;
  private readonly cleanups: (() => Promise<void> | void)[] = [];
  private ended = false;
  readonly closed: Promise<void>;
  private resolveClosed!: () => void;
  private readonly maxBufferedBytes: number;

  constructor(
    private readonly reply: FastifyReply,
    options: { readonly heartbeatMs: number; readonly retryMs?: number; readonly maxBufferedBytes?: number },
  ) {
    this.maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_SSE_MAX_BUFFERED_BYTES;
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      // nginx and similar proxies otherwise buffer the stream.
      "x-accel-buffering": "no",
    });
    raw.write(`retry: ${options.retryMs ?? 2000}\n\n`);
    this.heartbeat = setInterval(() => this.comment("heartbeat"), options.heartbeatMs);
    this.heartbeat.unref();
    // The client went away (or the socket failed): stop everything we started for it.
    raw.once("close", () => void this.close());
    raw.once("error", () => void this.close());
  }

  get isClosed(): boolean {
    return this.ended;
  }

  /** Runs when the stream closes; runs at once if it already has. */
  onClose(cleanup: () => Promise<void> | void): void {
    if (this.ended) void Promise.resolve().then(cleanup);
    else this.cleanups.push(cleanup);
  }

  /** Writes one frame; false when the client should be given time to read (see `drained`) or the stream ended. */
  send(data: unknown, options: { readonly id?: string | number; readonly event?: string } = {}): boolean {
    if (this.ended) return false;
    let frame = "";
    if (options.id !== undefined) frame += `id: ${options.id}\n`;
    if (options.event) frame += `event: ${options.event}\n`;
    for (const line of JSON.stringify(data).split("\n")) frame += `data: ${line}\n`;
    return this.write(`${frame}\n`);
  }

  comment(text: string): void {
    if (this.ended) return;
    this.write(`: ${text}\n\n`);
  }

  /** Resolves when the client has read what was queued (or the stream ended). */
  drained(): Promise<void> {
    const raw = this.reply.raw;
    if (this.ended || raw.writableLength === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        raw.off("drain", done);
        resolve();
      };
      raw.once("drain", done);
      void this.closed.then(done);
    });
  }

  private write(text: string): boolean {
    const raw = this.reply.raw;
    const roomLeft = raw.write(text);
    if (raw.writableLength > this.maxBufferedBytes) {
      this.reply.log.warn(
        { bufferedBytes: raw.writableLength },
        "closing an event stream whose client is not reading; it resumes from its Last-Event-ID when it reconnects",
      );
      void this.close();
      return false;
    }
    return roomLeft;
  }

  /** Ends the response (idempotent) and runs the cleanups. */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.heartbeat);
    if (!this.reply.raw.writableEnded) this.reply.raw.end();
    const results = await Promise.allSettled(this.cleanups.map((cleanup) => cleanup()));
    for (const result of results)
      if (result.status === "rejected") this.reply.log.warn({ err: result.reason }, "SSE cleanup failed");
    this.resolveClosed();
  }
}

/**
 * The position a reconnecting client resumes from: `Last-Event-ID` wins over the query parameter. The
 * server only ever sends ids that are safe integers, so anything else (garbage, or digits past 2^53 that
 * would overflow the database's bigint) is a 400 naming the header.
 */
export function resumePoint(request: FastifyRequest, fromQuery: number | undefined): number {
  const header = request.headers["last-event-id"];
  const text = (Array.isArray(header) ? header[0] : header)?.trim();
  if (text === undefined || text === "") return fromQuery ?? 0;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value))
    throw invalidInput([
      {
        field: 'headers["last-event-id"]',
        message: `must be an id this stream sent (an integer from 0 to ${Number.MAX_SAFE_INTEGER})`,
      },
    ]);
  return value;
}
