import type { NewEvent, StoredEvent } from "@bosun/core";
import { describe, expect, it } from "vitest";
import type { BosunStorage, WriteOptions } from "../storage.ts";
import { rideOutOutages } from "./outage-tolerant-storage.ts";
import { StorageOutageError } from "./storage-outage.ts";

const refused = () =>
  Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });

/** Storage whose calls fail as if the server were down for the first `failures` attempts. */
function flakyStorage(failures: number) {
  const calls: { method: string; batchKey?: string }[] = [];
  let left = failures;
  const attempt = async <T>(method: string, value: T, batchKey?: string): Promise<T> => {
    calls.push({ method, ...(batchKey ? { batchKey } : {}) });
    if (left-- > 0) throw refused();
    return value;
  };
  const storage = {
    runs: { getRun: (runId: string) => attempt("getRun", { runId }) },
    events: {
      appendEvents: (_events: readonly NewEvent[], options?: WriteOptions) =>
        attempt("appendEvents", [] as StoredEvent[], options?.batchKey),
    },
    computeLogs: {},
    outputs: {},
    runQueue: {},
    instigators: {},
    retention: {},
    launches: {},
    auth: {},
    heartbeats: { writeRunHeartbeat: () => attempt("writeRunHeartbeat", undefined) },
    describe: () => "fake",
    close: async () => {},
  } as unknown as BosunStorage;
  return { storage, calls };
}

const policy = { toleranceMs: 1_000, initialDelayMs: 1, maxDelayMs: 2 };

describe("rideOutOutages", () => {
  it("retries a call until the database answers", async () => {
    const { storage, calls } = flakyStorage(3);
    await expect(rideOutOutages(storage, policy).runs.getRun("r1")).resolves.toEqual({ runId: "r1" });
    expect(calls).toHaveLength(4);
  });

  it("gives an append without a batchKey one, the same on every retry", async () => {
    const { storage, calls } = flakyStorage(2);
    await rideOutOutages(storage, policy).events.appendEvents([]);
    const keys = calls.map((call) => call.batchKey);
    expect(keys).toHaveLength(3);
    expect(keys[0]).toEqual(expect.any(String));
    expect(new Set(keys).size).toBe(1);
  });

  it("keeps the caller's batchKey", async () => {
    const { storage, calls } = flakyStorage(1);
    await rideOutOutages(storage, policy).events.appendEvents([], { batchKey: "writer-1:7" });
    expect(calls.map((call) => call.batchKey)).toEqual(["writer-1:7", "writer-1:7"]);
  });

  it("throws StorageOutageError once the outage outlasts the tolerance", async () => {
    const { storage } = flakyStorage(Number.POSITIVE_INFINITY);
    await expect(
      rideOutOutages(storage, { ...policy, toleranceMs: 20 }).runs.getRun("r1"),
    ).rejects.toBeInstanceOf(StorageOutageError);
  });

  it("leaves heartbeats unretried: a missed one is followed by the next", async () => {
    const { storage, calls } = flakyStorage(1);
    await expect(
      rideOutOutages(storage, policy).heartbeats.writeRunHeartbeat("r1", new Date()),
    ).rejects.toThrow(/ECONNREFUSED/);
    expect(calls).toHaveLength(1);
  });
});
