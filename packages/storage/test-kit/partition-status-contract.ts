import type { NewEvent } from "@bosun/core";
import { describe, expect, it } from "vitest";
import type { BosunStorage } from "../src/storage.ts";
import { type StorageContractHarness, uid, useContractHarness } from "./storage-contract-harness.ts";

/**
 * Partition status: kept by the event log as events are stored (run start, materialization, run end),
 * read per asset. Called by `describeStorageContract`.
 */
export function describePartitionStatusContract(
  name: string,
  createHarness: () => Promise<StorageContractHarness>,
): void {
  describe(`${name} (partition status contract)`, () => {
    const { storage, other } = useContractHarness(createHarness);

    it("moves a partition to IN_PROGRESS on run start and MATERIALIZED on materialization", async () => {
      const [upstream, downstream] = [uid("asset"), uid("asset")];
      const runId = await assetRun(storage(), [upstream, downstream], "2024-01-02");
      await storage().events.appendEvents([event(runId, "RUN_START", null, {})]);
      expect(await statuses(storage(), upstream)).toEqual([["2024-01-02", "IN_PROGRESS", runId]]);
      expect(await statuses(other(), downstream)).toEqual([["2024-01-02", "IN_PROGRESS", runId]]);
      await storage().events.appendEvents([materialization(runId, upstream, "2024-01-02")]);
      expect(await statuses(storage(), upstream)).toEqual([["2024-01-02", "MATERIALIZED", runId]]);
      expect(await statuses(storage(), downstream)).toEqual([["2024-01-02", "IN_PROGRESS", runId]]);
      expect(await storage().assetStatus.countPartitionStatuses(upstream)).toEqual({
        MATERIALIZED: 1,
        FAILED: 0,
        IN_PROGRESS: 0,
        MISSING: 0,
      });
    });

    it("marks what a failed run did not materialize FAILED with the step's error, keeping the earlier materialization", async () => {
      const [upstream, downstream] = [uid("asset"), uid("asset")];
      const first = await assetRun(storage(), [downstream], "2024-01-01");
      await storage().events.appendEvents([
        event(first, "RUN_START", null, {}),
        materialization(first, downstream, "2024-01-01"),
        event(first, "RUN_SUCCESS", null, {}),
      ]);
      const second = await assetRun(storage(), [upstream, downstream], "2024-01-01");
      await storage().events.appendEvents([
        event(second, "RUN_START", null, {}),
        materialization(second, upstream, "2024-01-01"),
      ]);
      await other().events.appendEvents([
        event(second, "STEP_FAILURE", downstream, {
          failure: { className: "Error", message: "warehouse unreachable", stack: null, cause: null },
          attempt: 1,
          retriesExhausted: true,
        }),
        event(second, "RUN_FAILURE", null, { reason: "a step failed" }),
      ]);
      expect(await statuses(storage(), upstream)).toEqual([["2024-01-01", "MATERIALIZED", second]]);
      const [failed] = await storage().assetStatus.listPartitionStatuses(downstream);
      expect(failed).toMatchObject({
        status: "FAILED",
        runId: second,
        error: "warehouse unreachable",
        materializedRunId: first,
      });
      expect(failed!.materializedAt).toBeInstanceOf(Date);
      const [latest] = await storage().assetStatus.latestAttempts([downstream]);
      expect(latest).toMatchObject({ runId: second, status: "FAILED", error: "warehouse unreachable" });
    });

    it("ends a canceled run's partitions FAILED and a succeeded run's skipped ones back where they were", async () => {
      const [kept, skipped, canceled] = [uid("asset"), uid("asset"), uid("asset")];
      const earlier = await assetRun(storage(), [kept], "k1");
      await storage().events.appendEvents([
        event(earlier, "RUN_START", null, {}),
        materialization(earlier, kept, "k1"),
        event(earlier, "RUN_SUCCESS", null, {}),
      ]);
      const run = await assetRun(storage(), [kept, skipped], "k1");
      await storage().events.appendEvents([event(run, "RUN_START", null, {})]);
      await storage().events.appendEvents([event(run, "RUN_SUCCESS", null, {})]);
      expect(await statuses(storage(), kept)).toEqual([["k1", "MATERIALIZED", run]]);
      expect(await statuses(storage(), skipped)).toEqual([["k1", "MISSING", run]]);
      const cancel = await assetRun(storage(), [canceled], "k2");
      await storage().events.appendEvents([event(cancel, "RUN_START", null, {})]);
      await storage().events.appendEvents([event(cancel, "RUN_CANCELED", null, {})]);
      const [row] = await storage().assetStatus.listPartitionStatuses(canceled);
      expect(row).toMatchObject({ status: "FAILED", error: "canceled" });
    });

    it("keeps an unpartitioned asset's last attempt under the empty key, out of the partition counts", async () => {
      const key = uid("asset");
      const runId = await assetRun(storage(), [key], null);
      await storage().events.appendEvents([
        event(runId, "RUN_START", null, {}),
        event(runId, "RUN_FAILURE", null, { reason: "worker exited with code 1" }),
      ]);
      expect(await statuses(storage(), key)).toEqual([["", "FAILED", runId]]);
      expect((await storage().assetStatus.latestAttempts([key]))[0]?.error).toBe("worker exited with code 1");
      expect((await storage().assetStatus.countPartitionStatuses(key)).FAILED).toBe(0);
    });

    it("filters stored statuses by status and by key", async () => {
      const key = uid("asset");
      for (const [partition, fail] of [
        ["a", false],
        ["b", true],
        ["c", false],
      ] as const) {
        const runId = await assetRun(storage(), [key], partition);
        await storage().events.appendEvents([
          event(runId, "RUN_START", null, {}),
          fail
            ? event(runId, "RUN_FAILURE", null, { reason: "boom" })
            : materialization(runId, key, partition),
        ]);
      }
      const failed = await storage().assetStatus.listPartitionStatuses(key, { statuses: ["FAILED"] });
      expect(failed.map((r) => r.partitionKey)).toEqual(["b"]);
      const some = await storage().assetStatus.listPartitionStatuses(key, { partitionKeys: ["a", "c", "z"] });
      expect(some.map((r) => [r.partitionKey, r.status])).toEqual([
        ["a", "MATERIALIZED"],
        ["c", "MATERIALIZED"],
      ]);
      expect(await storage().assetStatus.countPartitionStatuses(key)).toEqual({
        MATERIALIZED: 2,
        FAILED: 1,
        IN_PROGRESS: 0,
        MISSING: 0,
      });
      const keys = ["a", "b", "c", "d", "e"];
      expect(await storage().assetStatus.filterPartitionKeys(key, keys, ["MISSING", "FAILED"])).toEqual([
        "b",
        "d",
        "e",
      ]);
      expect(await other().assetStatus.filterPartitionKeys(key, [...keys].reverse(), ["MISSING"], 1)).toEqual(
        ["e"],
      );
      // Any text is a key, separators included.
      expect(
        await storage().assetStatus.filterPartitionKeys(key, ["x\u001fy", "a", "x,y"], ["MISSING"]),
      ).toEqual(["x\u001fy", "x,y"]);
      const buckets = await storage().assetStatus.partitionStatusBuckets(key, keys, 2);
      expect(buckets.map((b) => [b.MATERIALIZED, b.FAILED, b.MISSING])).toEqual([
        [1, 1, 0],
        [1, 0, 1],
        [0, 0, 1],
      ]);
    });

    it("keeps counts exact through many changes from two instances, folding its counters as it reads", async () => {
      const key = uid("asset");
      const attempt = async (instance: BosunStorage, partition: string, fail: boolean) => {
        const runId = await assetRun(instance, [key], partition);
        await instance.events.appendEvents([event(runId, "RUN_START", null, {})]);
        await instance.events.appendEvents([
          fail
            ? event(runId, "RUN_FAILURE", null, { reason: "boom" })
            : materialization(runId, key, partition),
        ]);
      };
      for (let round = 0; round < 4; round++) {
        await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            attempt(i % 2 ? other() : storage(), `p${i}`, (i + round) % 3 === 0),
          ),
        );
        // Reading between rounds folds the counters once they pile up; the counts stay exact.
        const counts = await storage().assetStatus.countPartitionStatuses(key);
        const rows = await storage().assetStatus.listPartitionStatuses(key);
        expect(counts).toEqual({
          MATERIALIZED: rows.filter((r) => r.status === "MATERIALIZED").length,
          FAILED: rows.filter((r) => r.status === "FAILED").length,
          IN_PROGRESS: 0,
          MISSING: 0,
        });
        expect(counts.MATERIALIZED + counts.FAILED).toBe(12);
      }
    });
  });
}

async function assetRun(
  storage: BosunStorage,
  assetSelection: readonly string[],
  partitionKey: string | null,
): Promise<string> {
  const runId = uid("run");
  await storage.runs.createRun({
    runId,
    jobName: "__asset_job",
    status: "NOT_STARTED",
    assetSelection,
    partitionKey,
  });
  return runId;
}

async function statuses(storage: BosunStorage, assetKey: string): Promise<[string, string, string][]> {
  const rows = await storage.assetStatus.listPartitionStatuses(assetKey);
  return rows.map((row) => [row.partitionKey, row.status, row.runId]);
}

function materialization(runId: string, assetKey: string, partitionKey: string | null): NewEvent {
  return event(runId, "ASSET_MATERIALIZATION", assetKey, { assetKey, partitionKey, metadata: {} });
}

function event<T extends NewEvent["type"]>(
  runId: string,
  type: T,
  stepKey: string | null,
  data: Extract<NewEvent, { type: T }>["data"],
): NewEvent {
  return { runId, type, stepKey, data, timestamp: Date.now(), level: "info", message: type } as NewEvent;
}
