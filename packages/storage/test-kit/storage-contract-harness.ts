import { randomUUID } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import type { BosunStorage } from "../src/storage.ts";

/** What a storage implementation gives the contract suite. */
export interface StorageContractHarness {
  readonly storage: BosunStorage;
  /** Another instance over the same data with its own connections, as another process would have. */
  openAnother(): Promise<BosunStorage>;
  /** Closes everything and removes the data. */
  dispose(): Promise<void>;
}

/**
 * Opens a harness before the first test of the enclosing `describe` and disposes of it after the last.
 * The stores exist only once tests run, so tests reach them through the returned functions.
 */
export function useContractHarness(createHarness: () => Promise<StorageContractHarness>): {
  /** The harness's own store. */
  readonly storage: () => BosunStorage;
  /** A second instance over the same data, for behaviour across processes. */
  readonly other: () => BosunStorage;
} {
  let harness: StorageContractHarness | undefined;
  let other: BosunStorage | undefined;
  beforeAll(async () => {
    harness = await createHarness();
    other = await harness.openAnother();
  });
  afterAll(async () => {
    await harness?.dispose();
  });
  return { storage: () => harness!.storage, other: () => other! };
}

/** A fresh id: tests that share one store keep apart through unique ids and tags. */
export function uid(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}
