const RETRY_DELAY_MS = 500;

/**
 * Runs `step` (read what is new past the subscriber's cursor and deliver it) whenever poked, never two
 * at a time: a poke that arrives mid-read causes one more read afterwards, so nothing committed before
 * the poke is missed and, because `step` advances the cursor, nothing is delivered twice. A failed read
 * (connection lost) is retried after a short delay.
 */
export class CursorFollower {
  private running: Promise<void> | null = null;
  private pending = false;
  private closed = false;
  private started = false;
  private retryTimer: NodeJS.Timeout | null = null;

  /** `step` returns true when there may be more to read right away (a full page). */
  constructor(private readonly step: () => Promise<boolean>) {}

  /** Reads now, or once more after the read in progress. Resolves when caught up. */
  poke(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.pending = true;
    if (!this.started) return Promise.resolve();
    if (!this.running) {
      this.running = this.drain().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  /**
   * The first read, which rejects when it fails instead of retrying in the background. Pokes that arrive
   * before it is done only mark a read as pending, which runs once it is done.
   */
  async start(): Promise<void> {
    this.pending = false;
    while ((await this.step()) && !this.closed) {}
    this.started = true;
    if (this.pending) void this.poke();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.running;
  }

  private async drain(): Promise<void> {
    while (this.pending && !this.closed) {
      this.pending = false;
      try {
        while ((await this.step()) && !this.closed) {}
      } catch {
        this.scheduleRetry();
        return;
      }
    }
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.poke();
    }, RETRY_DELAY_MS);
  }
}
