import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** How much a `SpillingQueue` keeps in memory and where the rest goes. */
export interface SpillingQueueOptions {
  /** Bytes of items (as JSON) kept in memory; beyond them items go to a file. Default 16 MiB. */
  readonly memoryLimitBytes?: number;
  /** Where the spill file is made. Default the system's temporary directory. */
  readonly spillDirectory?: string;
}

/** Default `memoryLimitBytes`: a worker buffering through an outage holds at most about this much. */
export const DEFAULT_BUFFER_MEMORY_BYTES = 16 * 1024 * 1024;
const READ_CHUNK_BYTES = 256 * 1024;

/**
 * A first-in first-out queue of JSON values that keeps up to a memory limit and spills the rest to a
 * file, in order: once an item has gone to the file, every later one follows it there until the file
 * has been read back, so items always come out in the order they went in. The file is made on first
 * spill and removed once read back. Reads and writes of the file are synchronous: they happen only
 * while the database is away, and keep `push` usable from synchronous callers such as `emit`.
 */
export class SpillingQueue<T> {
  private memory: { item: T; bytes: number }[] = [];
  private memoryHead = 0;
  private memoryBytesHeld = 0;
  private spill: { path: string; fd: number; writeOffset: number; readOffset: number; count: number } | null =
    null;
  private spilledTotal = 0;
  private readonly memoryLimit: number;

  constructor(private readonly options: SpillingQueueOptions = {}) {
    this.memoryLimit = options.memoryLimitBytes ?? DEFAULT_BUFFER_MEMORY_BYTES;
  }

  /** Items waiting, in memory and on disk. */
  get length(): number {
    return this.memory.length - this.memoryHead + (this.spill?.count ?? 0);
  }

  /** Bytes (as JSON) of the items held in memory. */
  get memoryBytes(): number {
    return this.memoryBytesHeld;
  }

  /** Bytes written to the spill file since this queue was made (a measure of how much an outage cost). */
  get spilledBytes(): number {
    return this.spilledTotal;
  }

  push(item: T): void {
    const line = JSON.stringify(item);
    const bytes = Buffer.byteLength(line, "utf8");
    if (!this.spill && this.memoryBytesHeld + bytes <= this.memoryLimit) {
      this.memory.push({ item, bytes });
      this.memoryBytesHeld += bytes;
      return;
    }
    const spill = this.openSpill();
    const record = Buffer.from(`${line}\n`, "utf8");
    fs.writeSync(spill.fd, record, 0, record.length, spill.writeOffset);
    spill.writeOffset += record.length;
    spill.count++;
    this.spilledTotal += record.length;
  }

  /** Removes and returns up to `max` items from the front. */
  take(max: number): T[] {
    if (this.memoryHead === this.memory.length) this.readBack();
    const end = Math.min(this.memory.length, this.memoryHead + max);
    const taken = this.memory.slice(this.memoryHead, end);
    this.memoryHead = end;
    for (const { bytes } of taken) this.memoryBytesHeld -= bytes;
    if (this.memoryHead === this.memory.length) {
      this.memory = [];
      this.memoryHead = 0;
    }
    return taken.map(({ item }) => item);
  }

  /** Removes the spill file, if any; the queue is empty afterwards. */
  close(): void {
    this.memory = [];
    this.memoryHead = 0;
    this.memoryBytesHeld = 0;
    this.removeSpill();
  }

  private openSpill(): NonNullable<SpillingQueue<T>["spill"]> {
    if (this.spill) return this.spill;
    const directory = this.options.spillDirectory ?? os.tmpdir();
    const file = path.join(
      directory,
      `bosun-spill-${process.pid}-${Math.random().toString(36).slice(2)}.jsonl`,
    );
    this.spill = { path: file, fd: fs.openSync(file, "w+", 0o600), writeOffset: 0, readOffset: 0, count: 0 };
    return this.spill;
  }

  /** Moves whole lines from the spill file into memory, up to the memory limit (at least one line). */
  private readBack(): void {
    const spill = this.spill;
    if (!spill || spill.count === 0) return;
    let pending = Buffer.alloc(0);
    while (spill.count > 0 && (this.memoryBytesHeld < this.memoryLimit || this.memory.length === 0)) {
      const chunk = Buffer.alloc(READ_CHUNK_BYTES);
      const read = fs.readSync(spill.fd, chunk, 0, chunk.length, spill.readOffset + pending.length);
      if (read === 0) throw new Error(`spill file ${spill.path} ended before its ${spill.count} items`);
      pending = Buffer.concat([pending, chunk.subarray(0, read)]);
      let start = 0;
      for (let newline = pending.indexOf(10); newline !== -1; newline = pending.indexOf(10, start)) {
        const line = pending.subarray(start, newline);
        this.memory.push({ item: JSON.parse(line.toString("utf8")) as T, bytes: line.length });
        this.memoryBytesHeld += line.length;
        spill.count--;
        start = newline + 1;
        if (spill.count === 0 || this.memoryBytesHeld >= this.memoryLimit) break;
      }
      spill.readOffset += start;
      pending = pending.subarray(start);
    }
    if (spill.count === 0) this.removeSpill();
  }

  private removeSpill(): void {
    if (!this.spill) return;
    fs.closeSync(this.spill.fd);
    fs.rmSync(this.spill.path, { force: true });
    this.spill = null;
  }
}
