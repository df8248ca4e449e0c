/** Reads a Server-Sent Events stream with fetch until an `end` event or the timeout. */
export interface SseMessage {
  readonly event: string;
  readonly id: string | null;
  readonly data: string;
}

export async function readSse(
  url: string,
  options: { timeoutMs: number; stopOn: string },
): Promise<SseMessage[]> {
  const abort = new AbortController();
  const timer = setTimeout(
    () =>
      abort.abort(new Error(`SSE stream ${url} did not send "${options.stopOn}" in ${options.timeoutMs} ms`)),
    options.timeoutMs,
  );
  const messages: SseMessage[] = [];
  try {
    const response = await fetch(url, { signal: abort.signal, headers: { accept: "text/event-stream" } });
    if (!response.ok || !response.body) throw new Error(`SSE ${url}: HTTP ${response.status}`);
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let split = buffer.indexOf("\n\n");
      while (split >= 0) {
        const block = buffer.slice(0, split);
        buffer = buffer.slice(split + 2);
        split = buffer.indexOf("\n\n");
        let event = "message";
        let id: string | null = null;
        const data: string[] = [];
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) continue;
          const [field, ...rest] = line.split(":");
          const value = rest.join(":").replace(/^ /, "");
          if (field === "event") event = value;
          else if (field === "id") id = value;
          else if (field === "data") data.push(value);
        }
        if (data.length === 0 && event === "message") continue;
        messages.push({ event, id, data: data.join("\n") });
        if (event === options.stopOn) {
          abort.abort();
          return messages;
        }
      }
    }
    return messages;
  } catch (error) {
    if (abort.signal.aborted && messages.at(-1)?.event === options.stopOn) return messages;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
