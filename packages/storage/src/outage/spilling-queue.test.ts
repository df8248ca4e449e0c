import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SpillingQueue } from "./spilling-queue.ts";

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "bosun-spill-test-"));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

const item = (i: number) => ({ n: i, text: `item ${i} ${"x".repeat(40)}` });
const itemBytes = JSON.stringify(item(100)).length;

describe("SpillingQueue", () => {
  it("gives items back in the order they went in, whatever the batch sizes", () => {
    const queue = new SpillingQueue<ReturnType<typeof item>>({ spillDirectory: directory });
    for (let i = 0; i < 10; i++) queue.push(item(i));
    expect(queue.take(3).map((x) => x.n)).toEqual([0, 1, 2]);
    queue.push(item(10));
    expect(queue.take(100).map((x) => x.n)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(queue.length).toBe(0);
  });

  it("keeps no more than its memory limit in memory and spills the rest to a file, read back in order", async () => {
    const memoryLimitBytes = itemBytes * 10;
    const queue = new SpillingQueue<ReturnType<typeof item>>({ memoryLimitBytes, spillDirectory: directory });
    for (let i = 0; i < 1000; i++) {
      queue.push(item(i));
      expect(queue.memoryBytes).toBeLessThanOrEqual(memoryLimitBytes);
    }
    expect(queue.length).toBe(1000);
    expect(queue.spilledBytes).toBeGreaterThan(990 * itemBytes);
    expect(await readdir(directory)).toHaveLength(1);

    const out: number[] = [];
    let pushedLate = false;
    while (queue.length > 0) {
      const batch = queue.take(7);
      expect(queue.memoryBytes).toBeLessThanOrEqual(memoryLimitBytes);
      // Items pushed while others are on disk queue up behind them.
      if (out.length >= 350 && !pushedLate) {
        queue.push(item(1000));
        pushedLate = true;
      }
      out.push(...batch.map((x) => x.n));
    }
    expect(out).toEqual(Array.from({ length: 1001 }, (_, i) => i));
    // The file goes once it has been read back.
    expect(await readdir(directory)).toEqual([]);
  });

  it("reads back items larger than the memory limit one at a time", () => {
    const queue = new SpillingQueue<string>({ memoryLimitBytes: 10, spillDirectory: directory });
    const big = ["a".repeat(300_000), "b".repeat(20), "c".repeat(300_000)];
    for (const text of big) queue.push(text);
    expect([queue.take(5), queue.take(5), queue.take(5)]).toEqual([[big[0]], [big[1]], [big[2]]]);
  });

  it("removes its spill file on close", async () => {
    const queue = new SpillingQueue<number>({ memoryLimitBytes: 4, spillDirectory: directory });
    for (let i = 0; i < 100; i++) queue.push(i);
    expect(await readdir(directory)).toHaveLength(1);
    queue.close();
    expect(queue.length).toBe(0);
    expect(await readdir(directory)).toEqual([]);
  });
});
