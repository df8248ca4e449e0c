import { connect, type Socket } from "node:net";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { SseStream } from "./sse-stream.ts";

const FRAME = { text: "x".repeat(64 * 1024) };
const FRAMES = 400; // 25 MiB: far more than the kernel's socket buffers hold for a client that does not read
const MAX_BUFFERED = 256 * 1024;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A server with one SSE route sending FRAMES frames, waiting for the client when `paced`; reports what it did. */
async function server(paced: boolean) {
  const outcome: { sent: number; closedEarly: boolean; done: Promise<void> } = {
    sent: 0,
    closedEarly: false,
    done: Promise.resolve(),
  };
  const app: FastifyInstance = Fastify({ logger: false });
  app.get("/stream", async (_request, reply) => {
    const sse = new SseStream(reply, { heartbeatMs: 60_000, maxBufferedBytes: MAX_BUFFERED });
    outcome.done = (async () => {
      for (let i = 0; i < FRAMES && !sse.isClosed; i++) {
        const room = sse.send(FRAME, { id: i });
        if (!sse.isClosed) outcome.sent++;
        if (!room && paced) await sse.drained();
      }
      outcome.closedEarly = sse.isClosed;
      await sse.close();
    })();
    return reply;
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  cleanups.push(() => app.close());
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return { port: address.port, outcome };
}

function request(port: number): Socket {
  const socket = connect(port, "127.0.0.1");
  socket.write("GET /stream HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n");
  cleanups.push(() => void socket.destroy());
  return socket;
}

describe("SseStream with a slow client", () => {
  it("closes a live stream once more than maxBufferedBytes wait for a client that does not read", async () => {
    const { port, outcome } = await server(false);
    const socket = request(port);
    socket.pause();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await outcome.done;
    expect(outcome.closedEarly).toBe(true);
    expect(outcome.sent).toBeLessThan(FRAMES);
  });

  it("delivers every frame to a client that reads, when the sender waits for drained()", async () => {
    const { port, outcome } = await server(true);
    const socket = request(port);
    let received = 0;
    let tail = "";
    socket.on("data", (chunk: Buffer) => {
      const text = tail + chunk.toString("latin1");
      const frames = text.split("\n\n");
      tail = frames.pop() ?? "";
      received += frames.filter((f) => f.includes("data: ")).length;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await outcome.done;
    const deadline = Date.now() + 10_000;
    while (received < FRAMES && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect({ closedEarly: outcome.closedEarly, sent: outcome.sent, received }).toEqual({
      closedEarly: false,
      sent: FRAMES,
      received: FRAMES,
    });
  });
});
