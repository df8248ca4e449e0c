import { randomUUID } from "node:crypto";
import type { OutagePolicy } from "./outage-policy.ts";
import { retryThroughOutage } from "./retry-through-outage.ts";
import { SpillingQueue, type SpillingQueueOptions } from "./spilling-queue.ts";
import { StorageOutageError } from "./storage-outage.ts";

/** What a `BufferedStorageWriter` writes with, and how it batches and buffers. */
export interface BufferedStorageWriterOptions<T> extends SpillingQueueOptions {
  /**
   * Stores one batch, in one transaction, recorded under `batchKey`: a batch whose key is stored already
   * must be skipped, so that a retry of a write that committed (but whose answer was lost) adds nothing.
   */
  readonly write: (batch: readonly T[], batchKey: string) => Promise<void>;
  /** How long to wait out a database outage, and the back-off between attempts. */
  readonly outage: OutagePolicy;
  /** Most items in one batch. Default 500. */
  readonly maxBatch?: number;
  /** A batch goes out this long after its first item at the latest. Default 20 ms. */
  readonly maxDelayMs?: number;
}

interface Flush {
  readonly upTo: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The one rule by which Bosun's writers (events, compute logs) store what they are given: items are
 * buffered in order, written in batches one at a time, each batch under an idempotency key of its own
 * (this writer's id and the batch's number) that it keeps across retries. While the database is away
 * the batch is retried with jittered, capped back-off (`retryThroughOutage`) and new items wait in a
 * `SpillingQueue` (bounded memory, then a file), so nothing is lost, reordered or written twice.
 *
 * `flush()` resolves once everything pushed before it is stored. It rejects when the outage outlasts
 * the policy's tolerance (`StorageOutageError`) or a write fails for another reason; after an outage
 * error the batch is kept and the next `push` or `flush` tries again (with a fresh tolerance), so a
 * caller can still store its last words once the server is back. A batch refused for another reason
 * (not an outage) is dropped, and its error reported once.
 */
export class BufferedStorageWriter<T> {
  private readonly queue: SpillingQueue<T>;
  private readonly writerId = randomUUID();
  private nextBatchNumber = 0;
  private inFlight: { readonly key: string; readonly items: readonly T[] } | null = null;
  private draining: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failure: unknown = null;
  private pushed = 0;
  private settled = 0;
  private flushes: Flush[] = [];

  constructor(private readonly options: BufferedStorageWriterOptions<T>) {
    this.queue = new SpillingQueue<T>(options);
  }

  /** Items not yet stored (in memory, on disk or being written). */
  get pending(): number {
    return this.pushed - this.settled;
  }

  /** Bytes of buffered items held in memory. */
  get memoryBytes(): number {
    return this.queue.memoryBytes;
  }

  /** Bytes written to the spill file so far. */
  get spilledBytes(): number {
    return this.queue.spilledBytes;
  }

  push(item: T): void {
    this.queue.push(item);
    this.pushed++;
    if (this.queue.length >= (this.options.maxBatch ?? 500)) this.startDraining();
    else this.timer ??= setTimeout(() => this.startDraining(), this.options.maxDelayMs ?? 20);
  }

  flush(): Promise<void> {
    if (this.failure !== null) {
      const failure = this.failure;
      this.failure = null;
      return Promise.reject(failure);
    }
    if (this.settled >= this.pushed) return Promise.resolve();
    const done = new Promise<void>((resolve, reject) =>
      this.flushes.push({ upTo: this.pushed, resolve, reject }),
    );
    this.startDraining();
    return done;
  }

  private startDraining(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.draining || (this.queue.length === 0 && !this.inFlight)) return;
    this.draining = this.drain().finally(() => {
      this.draining = null;
    });
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (!this.inFlight) {
        const items = this.queue.take(this.options.maxBatch ?? 500);
        if (items.length === 0) return;
        this.inFlight = { key: `${this.writerId}:${this.nextBatchNumber++}`, items };
      }
      const batch = this.inFlight;
      try {
        await retryThroughOutage(() => this.options.write(batch.items, batch.key), this.options.outage);
      } catch (error) {
        // An outage keeps the batch for the next attempt; any other refusal would only repeat.
        if (!(error instanceof StorageOutageError)) {
          this.inFlight = null;
          this.settled += batch.items.length;
        }
        this.fail(error);
        return;
      }
      this.settle(batch.items.length);
    }
  }

  private settle(count: number): void {
    this.inFlight = null;
    this.settled += count;
    const waiting = this.flushes;
    this.flushes = waiting.filter((flush) => flush.upTo > this.settled);
    for (const flush of waiting) if (flush.upTo <= this.settled) flush.resolve();
  }

  private fail(error: unknown): void {
    if (this.flushes.length === 0) {
      this.failure ??= error;
      return;
    }
    const waiting = this.flushes;
    this.flushes = [];
    for (const flush of waiting) flush.reject(error);
  }
}
