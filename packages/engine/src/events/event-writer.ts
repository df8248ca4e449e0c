import type { NewEvent } from "@bosun/core";
import type { EventLogStorage } from "@bosun/storage";

/**
 * Buffers events and writes them in batches, in the order they were emitted. A batch goes out when it
 * is full or shortly after the first event of it arrived; `flush()` waits for everything emitted so far.
 * A failed write is kept and thrown by the next `flush()`, so no loss goes unnoticed.
 */
export class EventWriter {
  private queue: NewEvent[] = [];
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private failure: unknown = null;

  constructor(
    private readonly storage: EventLogStorage,
    private readonly options: { readonly maxBatch?: number; readonly maxDelayMs?: number } = {},
  ) {}

  emit(event: NewEvent): void {
    this.queue.push(event);
    if (this.queue.length >= (this.options.maxBatch ?? 500)) this.startWrite();
    else this.timer ??= setTimeout(() => this.startWrite(), this.options.maxDelayMs ?? 20);
  }

  async flush(): Promise<void> {
    this.startWrite();
    await this.writing;
    if (this.failure) {
      const failure = this.failure;
      this.failure = null;
      throw failure;
    }
  }

  private startWrite(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.writing = this.writing.then(async () => {
      try {
        await this.storage.appendEvents(batch);
      } catch (error) {
        this.failure ??= error;
      }
    });
  }
}
