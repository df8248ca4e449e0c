import type { NewEvent } from "@bosun/core";
import {
  BufferedStorageWriter,
  DEFAULT_OUTAGE_TOLERANCE_MS,
  type EventLogStorage,
  type SpillingQueueOptions,
} from "@bosun/storage";

/** How an `EventWriter` batches, and how long it waits out a database outage. */
export interface EventWriterOptions extends SpillingQueueOptions {
  /** Most events in one write. Default 500. */
  readonly maxBatch?: number;
  /** A batch goes out this long after its first event at the latest. Default 20 ms. */
  readonly maxDelayMs?: number;
  /** `storage.outage_tolerance_seconds` in ms. Default 120 s. */
  readonly outageToleranceMs?: number;
}

/**
 * Buffers events and writes them in batches, in the order they were emitted. A batch goes out when it
 * is full or shortly after the first event of it arrived; `flush()` waits for everything emitted so far.
 * While the database is away, events wait in order (in memory, then on disk) and the batch in hand is
 * retried under its idempotency key, so none is lost or stored twice (`BufferedStorageWriter`). A
 * failed write, or an outage longer than the tolerance, is thrown by the next `flush()`.
 */
export class EventWriter {
  private readonly writer: BufferedStorageWriter<NewEvent>;

  constructor(storage: EventLogStorage, options: EventWriterOptions = {}) {
    this.writer = new BufferedStorageWriter<NewEvent>({
      ...options,
      write: async (batch, batchKey) => {
        await storage.appendEvents(batch, { batchKey });
      },
      outage: { toleranceMs: options.outageToleranceMs ?? DEFAULT_OUTAGE_TOLERANCE_MS },
    });
  }

  emit(event: NewEvent): void {
    this.writer.push(event);
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  /** Bytes of unwritten events held in memory and written to the spill file (outage measurements). */
  get buffered(): { readonly events: number; readonly memoryBytes: number; readonly spilledBytes: number } {
    return {
      events: this.writer.pending,
      memoryBytes: this.writer.memoryBytes,
      spilledBytes: this.writer.spilledBytes,
    };
  }
}
