/** One container run's output (stdout and stderr interleaved), with per-chunk timestamps, for `kubectl logs`. */
export class LogBuffer {
  private readonly chunks: { time: string; data: Buffer }[] = [];
  private size = 0;
  private readonly followers = new Set<(chunk: { time: string; data: Buffer } | null) => void>();
  private ended = false;

  constructor(private readonly limitBytes = 8 * 1024 * 1024) {}

  append(data: Buffer): void {
    const chunk = { time: new Date().toISOString(), data };
    this.chunks.push(chunk);
    this.size += data.length;
    while (this.size > this.limitBytes && this.chunks.length > 1)
      this.size -= this.chunks.shift()!.data.length;
    for (const f of this.followers) f(chunk);
  }

  end(): void {
    this.ended = true;
    for (const f of this.followers) f(null);
    this.followers.clear();
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Everything so far as lines (the last may lack a newline), each with its chunk's time. */
  lines(): { time: string; line: string }[] {
    const out: { time: string; line: string }[] = [];
    let partial = "";
    let partialTime = "";
    for (const chunk of this.chunks) {
      const text = partial + chunk.data.toString("utf8");
      const parts = text.split("\n");
      partial = parts.pop()!;
      for (const line of parts) out.push({ time: partialTime || chunk.time, line: `${line}\n` });
      partialTime = partial ? chunk.time : "";
    }
    if (partial) out.push({ time: partialTime, line: partial });
    return out;
  }

  /** Calls `listener` with each new chunk until the buffer ends (null) or the returned function is called. */
  follow(listener: (chunk: { time: string; data: Buffer } | null) => void): () => void {
    if (this.ended) {
      listener(null);
      return () => undefined;
    }
    this.followers.add(listener);
    return () => this.followers.delete(listener);
  }
}
