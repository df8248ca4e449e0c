import { describe, expect, it } from "vitest";
import { type LaunchLease, WORKER_LAUNCH_ATTEMPT_KEY } from "../src/launch-storage.ts";
import type { AdmissionPolicy } from "../src/run-queue-storage.ts";
import type { BosunStorage } from "../src/storage.ts";
import { type StorageContractHarness, uid, useContractHarness } from "./storage-contract-harness.ts";

/**
 * The launch half of the daemon's storage contract: launch attempts, worker claims and daemon leases
 * (`LaunchStorage`). Takeovers see every abandoned launch of the store, so assertions look only at the
 * runs a test admitted itself.
 */
export function describeLaunchStorageContract(
  name: string,
  createHarness: () => Promise<StorageContractHarness>,
): void {
  describe(`${name} (launch storage contract)`, () => {
    const { storage, other } = useContractHarness(createHarness);

    /** Queues a run and admits it as `owner`'s first launch attempt. */
    async function admitted(owner: string): Promise<string> {
      const runId = uid("run");
      const scope = uid("scope");
      await storage().runs.createRun({ runId, jobName: "launch_job", status: "QUEUED", tags: { scope } });
      const policy: AdmissionPolicy = (snapshot) =>
        snapshot.queued.filter((run) => run.runId === runId).map((run) => run.runId);
      const [run] = await storage().runQueue.claimQueuedRuns(policy, { launchOwner: owner });
      expect(run?.runId).toBe(runId);
      return runId;
    }

    async function takenOver(store: BosunStorage, owner: string, runId: string) {
      return (await store.launches.takeOverAbandoned(owner, 1000)).find((taken) => taken.run.runId === runId);
    }

    it("relaunches a run whose admitting daemon holds no lease, once, as the next attempt", async () => {
      const gone = uid("daemon");
      const next = uid("daemon");
      const lease = await other().launches.holdLease(next);
      try {
        const runId = await admitted(gone);
        const taken = await takenOver(other(), next, runId);
        expect(taken).toMatchObject({ attempt: 2, previousOwner: gone, run: { runId, status: "STARTING" } });
        // The new owner holds its lease: nobody takes the run again.
        expect(await takenOver(storage(), uid("daemon"), runId)).toBeUndefined();
        expect(await storage().launches.currentAttempt(runId)).toBe(2);
        const notes = await storage().events.getEvents(runId, { types: ["ENGINE_EVENT"] });
        expect(notes.map((event) => event.message)).toEqual([
          `Relaunching the run (launch attempt 2): daemon ${gone} admitted it and is gone before starting its worker.`,
        ]);
      } finally {
        await lease.release();
      }
    });

    it("leaves the launches of a daemon that holds its lease until it releases it", async () => {
      const owner = uid("daemon");
      let lease: LaunchLease | null = await storage().launches.holdLease(owner);
      try {
        expect(lease.held).toBe(true);
        const runId = await admitted(owner);
        expect(await takenOver(other(), uid("daemon"), runId)).toBeUndefined();
        await lease.release();
        lease = null;
        expect((await takenOver(other(), uid("daemon"), runId))?.attempt).toBe(2);
      } finally {
        await lease?.release();
      }
    });

    it("lets exactly one worker claim the current attempt, and none claim a superseded one", async () => {
      const runId = await admitted(uid("daemon"));
      const claims = await Promise.all(
        Array.from({ length: 6 }, (_, i) => (i % 2 ? other() : storage()).launches.claim(runId, 1)),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      // A claimed attempt is never taken over, whoever owned it.
      expect(await takenOver(other(), uid("daemon"), runId)).toBeUndefined();

      const relaunched = await admitted(uid("daemon"));
      expect((await takenOver(other(), uid("daemon"), relaunched))?.attempt).toBe(2);
      expect(await storage().launches.claim(relaunched, 1)).toBe(false);
      expect(await storage().launches.claim(relaunched, 2)).toBe(true);
    });

    it("records a launch only for the current attempt, and never takes over a launched run", async () => {
      const launched = await admitted(uid("daemon"));
      expect(await storage().launches.recordLaunch(launched, 1, { pid: 11 })).toBe(true);
      expect((await other().runs.getRun(launched))?.launcherInfo).toEqual({ pid: 11 });
      expect(await takenOver(other(), uid("daemon"), launched)).toBeUndefined();
      // Its worker can still claim it.
      expect(await other().launches.claim(launched, 1)).toBe(true);

      const superseded = await admitted(uid("daemon"));
      await takenOver(other(), uid("daemon"), superseded);
      expect(await storage().launches.recordLaunch(superseded, 1, { pid: 12 })).toBe(false);
      expect(await storage().launches.recordLaunch(superseded, 2, { pid: 13 })).toBe(true);
      expect((await other().runs.getRun(superseded))?.launcherInfo).toEqual({ pid: 13 });
      expect(await storage().launches.currentAttempt(uid("no-such-run"))).toBeNull();
    });

    it("accepts, once, the claim of the earlier attempt's worker that a relaunch adopted, and no other", async () => {
      const runId = await admitted(uid("daemon"));
      await takenOver(other(), uid("daemon"), runId);
      // Before the relaunch records the adoption, the earlier attempt's worker is refused.
      expect(await storage().launches.claim(runId, 1)).toBe(false);
      expect(
        await storage().launches.recordLaunch(runId, 2, { job: "j", [WORKER_LAUNCH_ATTEMPT_KEY]: 1 }),
      ).toBe(true);
      const claims = await Promise.all(
        Array.from({ length: 4 }, (_, i) => (i % 2 ? other() : storage()).launches.claim(runId, 1)),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await storage().launches.claim(runId, 2)).toBe(false);
      expect(await storage().launches.currentAttempt(runId)).toBe(2);
    });
  });
}
