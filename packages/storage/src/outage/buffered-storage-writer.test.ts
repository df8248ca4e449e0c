import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BufferedStorageWriter } from "./buffered-storage-writer.ts";
import { backoffDelayMs } from "./outage-policy.ts";
import { StorageOutageError } from "./storage-outage.ts";

/** A fake store with the contract of `appendEvents(…, { batchKey })`: a key already stored is skipped. */
class FakeStore {
  readonly rows: number[] = [];
  readonly keys = new Set<string>();
  readonly attempts: string[] = [];
  /** While true, every write is refused as if the server were down. */
  down = false;
  /** The next write commits but its answer is lost (the connection drops during commit). */
  loseNextAnswer = false;

  async write(batch: readonly number[], batchKey: string): Promise<void> {
    this.attempts.push(batchKey);
    await new Promise((resolve) => setImmediate(resolve));
    if (this.down)
      throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    if (!this.keys.has(batchKey)) {
      this.keys.add(batchKey);
      this.rows.push(...batch);
    }
    if (this.loseNextAnswer) {
      this.loseNextAnswer = false;
      throw new Error("Connection terminated unexpectedly");
    }
  }
}

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "bosun-writer-test-"));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

function writerFor(store: FakeStore, toleranceMs = 60_000, memoryLimitBytes?: number) {
  return new BufferedStorageWriter<number>({
    write: (batch, key) => store.write(batch, key),
    outage: { toleranceMs, initialDelayMs: 1, maxDelayMs: 5 },
    maxBatch: 10,
    maxDelayMs: 1,
    spillDirectory: directory,
    ...(memoryLimitBytes ? { memoryLimitBytes } : {}),
  });
}

describe("BufferedStorageWriter", () => {
  it("stores everything in order, in batches of at most maxBatch", async () => {
    const store = new FakeStore();
    const writer = writerFor(store);
    for (let i = 0; i < 95; i++) writer.push(i);
    await writer.flush();
    expect(store.rows).toEqual(Array.from({ length: 95 }, (_, i) => i));
    expect(store.attempts.length).toBeGreaterThanOrEqual(10);
    expect(writer.pending).toBe(0);
  });

  it("waits out an outage, spilling beyond its memory limit, and then stores every item once, in order", async () => {
    const store = new FakeStore();
    const writer = writerFor(store, 60_000, 64);
    store.down = true;
    for (let i = 0; i < 500; i++) writer.push(i);
    const flushed = writer.flush();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(store.rows).toEqual([]);
    expect(writer.memoryBytes).toBeLessThanOrEqual(64);
    expect(writer.spilledBytes).toBeGreaterThan(0);
    store.down = false;
    await flushed;
    expect(store.rows).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });

  it("retries a batch whose commit was not acknowledged under the same key, so it is stored once", async () => {
    const store = new FakeStore();
    const writer = writerFor(store);
    store.loseNextAnswer = true;
    for (let i = 0; i < 5; i++) writer.push(i);
    await writer.flush();
    expect(store.rows).toEqual([0, 1, 2, 3, 4]);
    expect(store.attempts).toHaveLength(2);
    expect(store.attempts[1]).toBe(store.attempts[0]);
  });

  it("gives up after the tolerance with StorageOutageError, keeps the batch, and stores it once the server is back", async () => {
    const store = new FakeStore();
    const writer = writerFor(store, 30);
    store.down = true;
    writer.push(1);
    writer.push(2);
    const failure = await writer.flush().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StorageOutageError);
    expect((failure as Error).message).toMatch(/storage\.outage_tolerance_seconds \(0\.03 s\)/);
    store.down = false;
    writer.push(3);
    await writer.flush();
    expect(store.rows).toEqual([1, 2, 3]);
    expect(new Set(store.attempts).size).toBe(2);
  });

  it("reports a write refused for another reason once, at the next flush, without retrying it", async () => {
    const writer = new BufferedStorageWriter<number>({
      write: async () => {
        throw new Error('relation "event_logs" does not exist');
      },
      outage: { toleranceMs: 60_000 },
      maxDelayMs: 1,
    });
    writer.push(1);
    await expect(writer.flush()).rejects.toThrow(/does not exist/);
    await expect(writer.flush()).resolves.toBeUndefined();
  });
});

describe("backoffDelayMs", () => {
  it("doubles from the first delay up to the cap, jittered between half and all of it", () => {
    const policy = { toleranceMs: 1, initialDelayMs: 100, maxDelayMs: 1_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, { ...policy, random: () => 0.999999 }))).toEqual(
      [100, 200, 400, 800, 1_000, 1_000].map((d) => expect.closeTo(d, 0)),
    );
    expect(backoffDelayMs(3, { ...policy, random: () => 0 })).toBe(200);
  });
});
