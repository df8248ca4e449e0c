/** A small Server-Sent Events reader over `fetch`, for tests: frames as the browser's EventSource sees them. */
export interface SseFrame {
  readonly id: string | null;
  readonly event: string;
  readonly data: string;
}

export interface SseConnection {
  readonly status: number;
  /** Next frame, or null when the server ended the stream. Comments are counted, not returned. */
  next(): Promise<SseFrame | null>;
  /** Comment lines seen so far (heartbeats). */
  readonly comments: string[];
  /** Reads frames until `stop` says so (inclusive) or the stream ends. */
  readUntil(stop: (frame: SseFrame) => boolean): Promise<SseFrame[]>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: "text/event-stream", ...headers },
    signal: controller.signal,
  });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const comments: string[] = [];
  let buffer = "";
  let done = false;
  const next = async (): Promise<SseFrame | null> => {
    for (;;) {
      const end = buffer.indexOf("\n\n");
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let id: string | null = null;
        let event = "message";
        const data: string[] = [];
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) comments.push(line.slice(1).trim());
          else if (line.startsWith("id: ")) id = line.slice(4);
          else if (line.startsWith("event: ")) event = line.slice(7);
          else if (line.startsWith("data: ")) data.push(line.slice(6));
        }
        if (data.length > 0) return { id, event, data: data.join("\n") };
        continue;
      }
      if (done) return null;
      const chunk = await reader.read();
      if (chunk.done) done = true;
      else buffer += chunk.value;
    }
  };
  return {
    status: response.status,
    comments,
    next,
    readUntil: async (stop) => {
      const frames: SseFrame[] = [];
      for (;;) {
        const frame = await next();
        if (!frame) return frames;
        frames.push(frame);
        if (stop(frame)) return frames;
      }
    },
    close: () => controller.abort(),
  };
}
