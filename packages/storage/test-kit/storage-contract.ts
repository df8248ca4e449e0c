import type { NewEvent, StoredEvent } from "@bosun/core";
import { describe, expect, it } from "vitest";
import type { BosunStorage, ComputeLogChunk } from "../src/storage.ts";
import { InvalidRunCursorError, RunAlreadyExistsError, RunNotFoundError } from "../src/storage-errors.ts";
import { describeDaemonStorageContract } from "./daemon-storage-contract.ts";
import { describeLaunchStorageContract } from "./launch-storage-contract.ts";
import { describePartitionStatusContract } from "./partition-status-contract.ts";
import { describeRetentionStorageContract } from "./retention-storage-contract.ts";
import { type StorageContractHarness, uid, useContractHarness } from "./storage-contract-harness.ts";

export type { StorageContractHarness } from "./storage-contract-harness.ts";

/**
 * The behaviour every `BosunStorage` implementation must have. Call it from an implementation's test
 * file with a factory; the tests share one store and keep apart through unique ids and tags.
 *
 * @example
 * describeStorageContract("PostgresStorage", async () => { const db = await createTestStorage(); ... });
 */
export function describeStorageContract(
  name: string,
  createHarness: () => Promise<StorageContractHarness>,
): void {
  describe(`${name} (storage contract)`, () => {
    const { storage, other } = useContractHarness(createHarness);

    describe("runs", () => {
      it("creates a run with defaults and reads it back", async () => {
        const runId = uid("run");
        const created = await storage().runs.createRun({ runId, jobName: "job_a", status: "NOT_STARTED" });
        expect(created).toMatchObject({
          runId,
          jobName: "job_a",
          status: "NOT_STARTED",
          tags: {},
          runConfig: {},
          codeLocation: null,
          partitionKey: null,
          assetSelection: null,
          stepKeysToExecute: null,
          parentRunId: null,
          rootRunId: null,
          launcherInfo: {},
          startTime: null,
          endTime: null,
        });
        expect(created.createdAt).toBeInstanceOf(Date);
        expect(created.updatedAt).toBeInstanceOf(Date);
        expect(await storage().runs.getRun(runId)).toEqual(created);
        expect(await other().runs.getRun(runId)).toEqual(created);
      });

      it("round-trips every field of a new run", async () => {
        const runId = uid("run");
        const full = {
          runId,
          jobName: "job_full",
          status: "QUEUED" as const,
          tags: { team: "data", "bosun/priority": "5", "bosun-k8s/config": '{"a":1}' },
          runConfig: { ops: { fetch: { config: { count: 3, names: ["a", "b"], nested: { ok: true } } } } },
          codeLocation: "location_a",
          partitionKey: "2024-01-01",
          assetSelection: ["raw/orders", "revenue"],
          stepKeysToExecute: ["fetch", "total"],
          parentRunId: "parent-1",
          rootRunId: "root-1",
        };
        const created = await storage().runs.createRun(full);
        expect(created).toMatchObject(full);
        expect(await storage().runs.getRun(runId)).toEqual(created);
      });

      it("refuses a second run with the same id", async () => {
        const runId = uid("run");
        await storage().runs.createRun({ runId, jobName: "j", status: "QUEUED" });
        await expect(
          other().runs.createRun({ runId, jobName: "j2", status: "QUEUED" }),
        ).rejects.toBeInstanceOf(RunAlreadyExistsError);
        expect((await storage().runs.getRun(runId))?.jobName).toBe("j");
      });

      it("finds run ids by prefix, literally and in id order, up to the limit", async () => {
        const stem = uid("prefix");
        const ids = [`${stem}-b`, `${stem}-a`, `${stem}-c`];
        for (const runId of ids) await storage().runs.createRun({ runId, jobName: "j", status: "QUEUED" });
        expect(await other().runs.findRunIdsByPrefix(stem, 10)).toEqual([...ids].sort());
        expect(await storage().runs.findRunIdsByPrefix(stem, 2)).toEqual([`${stem}-a`, `${stem}-b`]);
        expect(await storage().runs.findRunIdsByPrefix(`${stem}-c`, 10)).toEqual([`${stem}-c`]);
        // LIKE wildcards in a prefix match only themselves.
        expect(await storage().runs.findRunIdsByPrefix(`${stem}-_`, 10)).toEqual([]);
        expect(await storage().runs.findRunIdsByPrefix(`${stem.slice(0, -3)}%`, 10)).toEqual([]);
      });

      it("returns null for an unknown run", async () => {
        expect(await storage().runs.getRun(uid("missing"))).toBeNull();
      });

      it("lists newest first across pages without gaps or duplicates", async () => {
        const scope = uid("scope");
        const ids = await createRuns(storage(), 23, (i) => ({ tags: { scope }, jobName: `job_${i % 3}` }));
        const seen = await listAll(storage(), { tags: { scope } }, 5);
        expect(seen.map((r) => r.runId)).toEqual([...ids].reverse());
        const first = await storage().runs.listRuns({ tags: { scope } }, { limit: 30 });
        expect(first.nextCursor).toBeNull();
        expect(first.runs).toHaveLength(23);
      });

      it("keeps paging stable when runs are created between pages", async () => {
        const scope = uid("scope");
        const ids = await createRuns(storage(), 10, () => ({ tags: { scope } }));
        const page1 = await storage().runs.listRuns({ tags: { scope } }, { limit: 4 });
        const added = await createRuns(other(), 3, () => ({ tags: { scope } }));
        const rest: string[] = [];
        let cursor = page1.nextCursor;
        while (cursor) {
          const page = await storage().runs.listRuns({ tags: { scope } }, { limit: 4, cursor });
          rest.push(...page.runs.map((r) => r.runId));
          cursor = page.nextCursor;
        }
        expect([...page1.runs.map((r) => r.runId), ...rest]).toEqual([...ids].reverse());
        expect(rest).not.toContain(added[0]);
      });

      it("filters by status, job, tags, ids, code location and creation time, and counts the same way", async () => {
        const scope = uid("scope");
        const a = await storage().runs.createRun({
          runId: uid("a"),
          jobName: "job_x",
          status: "QUEUED",
          tags: { scope, team: "red", env: "prod" },
          codeLocation: "finance",
        });
        await sleep(5);
        const b = await storage().runs.createRun({
          runId: uid("b"),
          jobName: "job_y",
          status: "QUEUED",
          tags: { scope, team: "red", env: "dev" },
          codeLocation: "ops",
        });
        await sleep(5);
        const c = await storage().runs.createRun({
          runId: uid("c"),
          jobName: "job_x",
          status: "NOT_STARTED",
          tags: { scope, team: "blue" },
        });
        const cases: [Parameters<BosunStorage["runs"]["listRuns"]>[0], string[]][] = [
          [{ tags: { scope } }, [c.runId, b.runId, a.runId]],
          [{ tags: { scope, team: "red" } }, [b.runId, a.runId]],
          [{ tags: { scope, team: "red", env: "prod" } }, [a.runId]],
          [{ tags: { scope, team: "re" } }, []],
          [{ tags: { scope, env: "prod", team: "blue" } }, []],
          [{ tags: { scope }, statuses: ["QUEUED"] }, [b.runId, a.runId]],
          [{ tags: { scope }, statuses: ["QUEUED", "NOT_STARTED"] }, [c.runId, b.runId, a.runId]],
          [{ tags: { scope }, statuses: [] }, []],
          [{ tags: { scope }, jobName: "job_x" }, [c.runId, a.runId]],
          [{ tags: { scope }, jobName: "job_x", statuses: ["NOT_STARTED"] }, [c.runId]],
          [{ runIds: [a.runId, c.runId] }, [c.runId, a.runId]],
          [{ tags: { scope }, codeLocations: ["finance"] }, [a.runId]],
          [{ tags: { scope }, codeLocations: ["finance", "ops"] }, [b.runId, a.runId]],
          [{ tags: { scope }, codeLocations: [] }, []],
          [{ tags: { scope }, createdAfter: a.createdAt }, [c.runId, b.runId]],
          [{ tags: { scope }, createdBefore: c.createdAt }, [b.runId, a.runId]],
          [{ tags: { scope }, createdAfter: a.createdAt, createdBefore: c.createdAt }, [b.runId]],
        ];
        for (const [filter, expected] of cases) {
          const page = await storage().runs.listRuns(filter, { limit: 10 });
          expect(
            page.runs.map((r) => r.runId),
            JSON.stringify(filter),
          ).toEqual(expected);
          expect(await storage().runs.countRuns(filter), JSON.stringify(filter)).toBe(expected.length);
        }
      });

      it("rejects a cursor it did not hand out", async () => {
        await expect(
          storage().runs.listRuns({}, { limit: 5, cursor: "not-a-cursor" }),
        ).rejects.toBeInstanceOf(InvalidRunCursorError);
      });

      it("shallow-merges launcher info and fails for an unknown run", async () => {
        const runId = uid("run");
        await storage().runs.createRun({ runId, jobName: "j", status: "STARTING" });
        await storage().runs.mergeLauncherInfo(runId, { jobName: "bosun-run-1", nested: { a: 1 } });
        await other().runs.mergeLauncherInfo(runId, { pid: 42, nested: { b: 2 } });
        expect((await storage().runs.getRun(runId))?.launcherInfo).toEqual({
          jobName: "bosun-run-1",
          pid: 42,
          nested: { b: 2 },
        });
        await expect(storage().runs.mergeLauncherInfo(uid("missing"), { a: 1 })).rejects.toBeInstanceOf(
          RunNotFoundError,
        );
      });
    });

    describe("event log", () => {
      it("stores a batch in order and reads it back unchanged", async () => {
        const runId = await newRun(storage());
        const batch = [
          event(runId, "RUN_START", null, { pid: 12 }),
          event(runId, "STEP_START", "fetch", { attempt: 1 }),
          event(runId, "LOG_MESSAGE", "fetch", { fields: { n: 1, s: "x\u0000y" } }),
          event(runId, "STEP_OUTPUT", "fetch", { outputName: "result" }),
          event(runId, "STEP_SUCCESS", "fetch", { durationMs: 12 }),
        ];
        const stored = await storage().events.appendEvents(batch);
        expect(stored.map((e) => e.type)).toEqual(batch.map((e) => e.type));
        for (let i = 1; i < stored.length; i++) expect(stored[i]!.seq).toBeGreaterThan(stored[i - 1]!.seq);
        const read = await other().events.getEvents(runId);
        expect(read.map((e) => e.seq)).toEqual(stored.map((e) => e.seq));
        expect(read[0]).toEqual({ ...batch[0], seq: stored[0]!.seq });
        expect(read[4]).toEqual({ ...batch[4], seq: stored[4]!.seq });
        expect(await storage().events.appendEvents([])).toEqual([]);
      });

      it("stores a batch with a batchKey once, however often it is retried, from any instance", async () => {
        const runId = await newRun(storage());
        const batch = [
          event(runId, "STEP_START", "fetch", { attempt: 1 }),
          event(runId, "STEP_SUCCESS", "fetch", { durationMs: 1 }),
        ];
        const key = uid("batch");
        expect(await storage().events.appendEvents(batch, { batchKey: key })).toHaveLength(2);
        expect(await other().events.appendEvents(batch, { batchKey: key })).toEqual([]);
        expect(await storage().events.appendEvents(batch, { batchKey: uid("batch") })).toHaveLength(2);
        const types = (await storage().events.getEvents(runId)).map((e) => e.type);
        expect(types).toEqual(["STEP_START", "STEP_SUCCESS", "STEP_START", "STEP_SUCCESS"]);
      });

      it("answers event queries by seq, type, step and limit", async () => {
        const runId = await newRun(storage());
        const stored = await storage().events.appendEvents([
          event(runId, "STEP_START", "a", { attempt: 1 }),
          event(runId, "STEP_START", "b", { attempt: 1 }),
          event(runId, "STEP_SUCCESS", "a", { durationMs: 1 }),
          event(runId, "STEP_SUCCESS", "b", { durationMs: 2 }),
        ]);
        const seqs = stored.map((e) => e.seq);
        const get = (q: Parameters<BosunStorage["events"]["getEvents"]>[1]) =>
          storage()
            .events.getEvents(runId, q)
            .then((events) => events.map((e) => e.seq));
        expect(await get({ afterSeq: seqs[1] })).toEqual(seqs.slice(2));
        expect(await get({ limit: 2 })).toEqual(seqs.slice(0, 2));
        expect(await get({ types: ["STEP_SUCCESS"] })).toEqual([seqs[2], seqs[3]]);
        expect(await get({ stepKey: "b" })).toEqual([seqs[1], seqs[3]]);
        expect(await get({ stepKey: "b", types: ["STEP_START"], afterSeq: 0 })).toEqual([seqs[1]]);
        expect(await get({ types: [] })).toEqual([]);
        expect(await storage().events.getEvents(uid("no-run"))).toEqual([]);
      });

      it("moves the run status with run events and sets start and end times", async () => {
        const runId = await newRun(storage(), "QUEUED");
        await storage().events.appendEvents([event(runId, "RUN_STARTING", null, {})]);
        expect((await storage().runs.getRun(runId))?.status).toBe("STARTING");
        const startedAt = Date.now() - 5000;
        await other().events.appendEvents([{ ...event(runId, "RUN_START", null, {}), timestamp: startedAt }]);
        const started = await storage().runs.getRun(runId);
        expect(started?.status).toBe("STARTED");
        expect(started?.startTime?.getTime()).toBe(startedAt);
        expect(started?.endTime).toBeNull();
        const endedAt = Date.now() - 1000;
        await storage().events.appendEvents([
          { ...event(runId, "RUN_SUCCESS", null, {}), timestamp: endedAt },
        ]);
        const ended = await storage().runs.getRun(runId);
        expect(ended?.status).toBe("SUCCESS");
        expect(ended?.endTime?.getTime()).toBe(endedAt);
        expect(ended?.startTime?.getTime()).toBe(startedAt);
      });

      it("never moves a run out of a terminal status, in later batches or within one", async () => {
        const runId = await newRun(storage());
        await storage().events.appendEvents([
          event(runId, "RUN_START", null, {}),
          event(runId, "RUN_SUCCESS", null, {}),
        ]);
        const done = await storage().runs.getRun(runId);
        expect(done?.status).toBe("SUCCESS");
        await other().events.appendEvents([event(runId, "RUN_FAILURE", null, { reason: "late" })]);
        await storage().events.appendEvents([
          event(runId, "RUN_START", null, {}),
          event(runId, "RUN_CANCELING", null, {}),
        ]);
        const after = await storage().runs.getRun(runId);
        expect(after?.status).toBe("SUCCESS");
        expect(after?.endTime).toEqual(done?.endTime);
        expect((await storage().events.getEvents(runId)).map((e) => e.type)).toEqual([
          "RUN_START",
          "RUN_SUCCESS",
          "RUN_FAILURE",
          "RUN_START",
          "RUN_CANCELING",
        ]);
        const second = await newRun(storage());
        await storage().events.appendEvents([
          event(second, "RUN_START", null, {}),
          event(second, "RUN_CANCELED", null, {}),
          event(second, "RUN_START", null, {}),
          event(second, "RUN_SUCCESS", null, {}),
        ]);
        expect((await storage().runs.getRun(second))?.status).toBe("CANCELED");
      });

      it("keeps each batch whole and in order when two instances append to one run at once", async () => {
        const runId = await newRun(storage());
        const batches = (writer: string) =>
          Array.from({ length: 15 }, (_, b) =>
            Array.from({ length: 8 }, (_, i) => event(runId, "LOG_MESSAGE", writer, { fields: { b, i } })),
          );
        const write = async (s: BosunStorage, writer: string) => {
          for (const batch of batches(writer)) await s.events.appendEvents(batch);
        };
        await Promise.all([write(storage(), "w1"), write(other(), "w2"), write(storage(), "w3")]);
        const all = await storage().events.getEvents(runId);
        expect(all).toHaveLength(3 * 15 * 8);
        for (let i = 1; i < all.length; i++) expect(all[i]!.seq).toBeGreaterThan(all[i - 1]!.seq);
        for (let start = 0; start < all.length; start += 8) {
          const chunk = all.slice(start, start + 8);
          const fields = chunk.map((e) => (e.data as { fields: { b: number; i: number } }).fields);
          expect(new Set(chunk.map((e) => e.stepKey)).size).toBe(1);
          expect(fields.map((f) => f.i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
          expect(new Set(fields.map((f) => f.b)).size).toBe(1);
        }
      });

      it("keeps the latest materialization per asset and partition and the history newest first", async () => {
        const runId = await newRun(storage());
        const key = uid("asset");
        const other1 = uid("asset");
        const m = (assetKey: string, partitionKey: string | null, n: number) =>
          event(runId, "ASSET_MATERIALIZATION", "step", {
            assetKey,
            partitionKey,
            metadata: { n: { type: "int", value: n } },
          });
        const first = await storage().events.appendEvents([
          m(key, "p1", 1),
          m(key, "p2", 2),
          m(key, "p1", 3),
        ]);
        const second = await other().events.appendEvents([m(key, null, 4), m(other1, null, 5)]);
        const latest = await storage().events.latestMaterializations([key, other1]);
        expect(latest.map((r) => [r.assetKey, r.partitionKey, r.metadata.n])).toEqual(
          [
            [key, null, { type: "int", value: 4 }],
            [other1, null, { type: "int", value: 5 }],
          ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
        );
        expect(latest.find((r) => r.assetKey === key)?.seq).toBe(second[0]!.seq);
        const byPartition = await storage().events.latestMaterializations([key], { byPartition: true });
        expect(byPartition.map((r) => [r.partitionKey, r.seq, r.runId])).toEqual([
          [null, second[0]!.seq, runId],
          ["p1", first[2]!.seq, runId],
          ["p2", first[1]!.seq, runId],
        ]);
        const all = await storage().events.latestMaterializations();
        expect(all.map((r) => r.assetKey)).toEqual(expect.arrayContaining([key, other1]));
        expect(await storage().events.latestMaterializations([])).toEqual([]);
        const history = await storage().events.materializationHistory(key);
        expect(history.map((r) => r.seq)).toEqual([
          second[0]!.seq,
          first[2]!.seq,
          first[1]!.seq,
          first[0]!.seq,
        ]);
        const p1 = await storage().events.materializationHistory(key, { partitionKey: "p1", limit: 1 });
        expect(p1.map((r) => [r.seq, r.partitionKey, r.metadata.n])).toEqual([
          [first[2]!.seq, "p1", { type: "int", value: 3 }],
        ]);
      });

      it("watches a run: stored events first, then live ones from another instance, in order, once each", async () => {
        const runId = await newRun(storage());
        const before = await storage().events.appendEvents([
          event(runId, "RUN_START", null, {}),
          event(runId, "STEP_START", "s", { attempt: 1 }),
          event(runId, "STEP_SUCCESS", "s", { durationMs: 1 }),
        ]);
        const noise = await newRun(storage());
        const received: StoredEvent[] = [];
        const subscription = await storage().events.watchEvents(runId, before[0]!.seq, (events) =>
          received.push(...events),
        );
        // What was stored is delivered before watchEvents resolves.
        expect(received.map((e) => e.seq)).toEqual([before[1]!.seq, before[2]!.seq]);
        for (let b = 0; b < 20; b++) {
          await other().events.appendEvents([
            event(runId, "LOG_MESSAGE", "s", { fields: { b } }),
            event(runId, "LOG_MESSAGE", "s", { fields: { b, second: true } }),
          ]);
          await other().events.appendEvents([event(noise, "LOG_MESSAGE", null, {})]);
        }
        const expected = (await storage().events.getEvents(runId, { afterSeq: before[0]!.seq })).map(
          (e) => e.seq,
        );
        await waitFor(() => received.length >= expected.length);
        expect(received.map((e) => e.seq)).toEqual(expected);
        expect(received.every((e) => e.runId === runId)).toBe(true);
        await subscription.close();
        await other().events.appendEvents([event(runId, "RUN_SUCCESS", null, {})]);
        await sleep(150);
        expect(received).toHaveLength(expected.length);
      });

      it("loses nothing when a watch starts while another instance is appending", async () => {
        const runId = await newRun(storage());
        let writing = true;
        const writer = (async () => {
          let b = 0;
          while (writing) {
            await other().events.appendEvents([event(runId, "LOG_MESSAGE", null, { fields: { b: b++ } })]);
          }
        })();
        await sleep(30);
        const received: number[] = [];
        const subscription = await storage().events.watchEvents(runId, 0, (events) =>
          received.push(...events.map((e) => e.seq)),
        );
        await sleep(100);
        writing = false;
        await writer;
        const expected = (await storage().events.getEvents(runId)).map((e) => e.seq);
        await waitFor(() => received.length >= expected.length);
        await subscription.close();
        expect(received).toEqual(expected);
      });
    });

    describe("compute logs", () => {
      it("appends a chunk with a batchKey once, however often it is retried", async () => {
        const runId = await newRun(storage());
        const key = uid("chunk");
        await storage().computeLogs.append(runId, "step", "stdout", "once\n", { batchKey: key });
        await other().computeLogs.append(runId, "step", "stdout", "once\n", { batchKey: key });
        await storage().computeLogs.append(runId, "step", "stdout", "twice\n", { batchKey: uid("chunk") });
        expect((await storage().computeLogs.read(runId, "step", "stdout")).data).toBe("once\ntwice\n");
      });

      it("concatenates appended chunks and reads from a byte offset", async () => {
        const runId = await newRun(storage());
        const logs = storage().computeLogs;
        expect(await logs.read(runId, "step", "stdout")).toEqual({ data: "", nextOffset: 0 });
        await logs.append(runId, "step", "stdout", "héllo ");
        await other().computeLogs.append(runId, "step", "stdout", "wörld\n");
        await logs.append(runId, "step", "stderr", "oops\n");
        const all = await logs.read(runId, "step", "stdout");
        expect(all).toEqual({ data: "héllo wörld\n", nextOffset: Buffer.byteLength("héllo wörld\n") });
        const fromSeven = await logs.read(runId, "step", "stdout", Buffer.byteLength("héllo "));
        expect(fromSeven).toEqual({ data: "wörld\n", nextOffset: all.nextOffset });
        expect(await logs.read(runId, "step", "stdout", 3)).toEqual({
          data: "llo wörld\n",
          nextOffset: all.nextOffset,
        });
        expect(await logs.read(runId, "step", "stdout", all.nextOffset)).toEqual({
          data: "",
          nextOffset: all.nextOffset,
        });
        expect((await logs.read(runId, "step", "stderr")).data).toBe("oops\n");
        await logs.append(runId, "another", "stderr", "x");
        expect(await logs.stepKeysWithLogs(runId)).toEqual(["another", "step"]);
        expect(await logs.stepKeysWithLogs(uid("none"))).toEqual([]);
      });

      it("keeps concurrent appends to one stream whole and non-overlapping", async () => {
        const runId = await newRun(storage());
        const lines = (writer: string) => Array.from({ length: 25 }, (_, i) => `${writer}-${i}\n`);
        await Promise.all(
          [storage(), other(), storage()].map(async (s, w) => {
            for (const line of lines(`w${w}`)) await s.computeLogs.append(runId, "step", "stdout", line);
          }),
        );
        const { data } = await storage().computeLogs.read(runId, "step", "stdout");
        const got = data.split("\n").filter(Boolean).sort();
        expect(got).toEqual([...lines("w0"), ...lines("w1"), ...lines("w2")].map((l) => l.trim()).sort());
      });

      it("watches a stream from an offset: stored data first, then live appends", async () => {
        const runId = await newRun(storage());
        await storage().computeLogs.append(runId, "step", "stdout", "skip|");
        await storage().computeLogs.append(runId, "step", "stdout", "stored|");
        const chunks: ComputeLogChunk[] = [];
        const subscription = await storage().computeLogs.watch(runId, "step", "stdout", 5, (chunk) =>
          chunks.push(chunk),
        );
        expect(chunks.map((c) => c.data).join("")).toBe("stored|");
        for (let i = 0; i < 10; i++) {
          await other().computeLogs.append(runId, "step", "stdout", `live${i}|`);
          await other().computeLogs.append(runId, "step", "stderr", "elsewhere");
        }
        const expected = `stored|${Array.from({ length: 10 }, (_, i) => `live${i}|`).join("")}`;
        await waitFor(() => chunks.map((c) => c.data).join("").length >= expected.length);
        expect(chunks.map((c) => c.data).join("")).toBe(expected);
        expect(chunks.at(-1)?.nextOffset).toBe(Buffer.byteLength(`skip|${expected}`));
        await subscription.close();
      });
    });

    describe("output blobs", () => {
      it("round-trips bytes, overwrites, and returns null for a missing output", async () => {
        const runId = uid("run");
        const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256);
        await storage().outputs.put(runId, "step", "result", bytes);
        expect(await other().outputs.get(runId, "step", "result")).toEqual(bytes);
        await storage().outputs.put(runId, "step", "result", Uint8Array.from([1, 2, 3]));
        expect(await storage().outputs.get(runId, "step", "result")).toEqual(Uint8Array.from([1, 2, 3]));
        await storage().outputs.put(runId, "step", "empty", new Uint8Array());
        expect(await storage().outputs.get(runId, "step", "empty")).toEqual(new Uint8Array());
        expect(await storage().outputs.get(runId, "step", "missing")).toBeNull();
        expect(await storage().outputs.get(runId, "other", "result")).toBeNull();
      });
    });

    it("describes where it lives", () => {
      expect(storage().describe()).toMatch(/\S/);
    });
  });
  describeDaemonStorageContract(name, createHarness);
  describeLaunchStorageContract(name, createHarness);
  describeRetentionStorageContract(name, createHarness);
  describePartitionStatusContract(name, createHarness);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return;
    await sleep(10);
  }
}

async function newRun(
  storage: BosunStorage,
  status: "NOT_STARTED" | "QUEUED" = "NOT_STARTED",
): Promise<string> {
  const runId = uid("run");
  await storage.runs.createRun({ runId, jobName: "job", status });
  return runId;
}

async function createRuns(
  storage: BosunStorage,
  count: number,
  extra: (i: number) => { tags?: Record<string, string>; jobName?: string },
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const runId = uid(`run${i}`);
    const { tags, jobName } = extra(i);
    await storage.runs.createRun({ runId, jobName: jobName ?? "job", status: "QUEUED", tags: tags ?? {} });
    ids.push(runId);
    // Distinct creation times, so newest-first order is the creation order.
    await sleep(2);
  }
  return ids;
}

async function listAll(
  storage: BosunStorage,
  filter: Parameters<BosunStorage["runs"]["listRuns"]>[0],
  limit: number,
) {
  const runs = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<BosunStorage["runs"]["listRuns"]>> = await storage.runs.listRuns(filter, {
      limit,
      cursor,
    });
    expect(page.runs.length).toBeLessThanOrEqual(limit);
    runs.push(...page.runs);
    cursor = page.nextCursor;
  } while (cursor);
  return runs;
}

function event<T extends NewEvent["type"]>(
  runId: string,
  type: T,
  stepKey: string | null,
  data: Extract<NewEvent, { type: T }>["data"],
): NewEvent {
  return {
    runId,
    type,
    stepKey,
    data,
    timestamp: Date.now(),
    level: "info",
    message: `${type} message`,
  } as NewEvent;
}
