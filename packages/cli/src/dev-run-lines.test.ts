import type { NewEvent, RunRecord, StoredEvent } from "@bosun/core";
import type { BosunStorage, Subscription } from "@bosun/storage";
import { AD_HOC_ASSET_JOB } from "bosun";
import { describe, expect, it } from "vitest";
import { followRunsInTerminal } from "./dev-run-lines.ts";

/**
 * Just enough storage for the run lines: runs to list, a queue watch the test pokes, and event watches
 * the test appends to (delivered as storage delivers them: the stored ones first, then live).
 */
class FakeStorage {
  readonly records: RunRecord[] = [];
  private readonly events = new Map<string, StoredEvent[]>();
  private readonly watchers = new Map<string, ((events: readonly StoredEvent[]) => void)[]>();
  private queueListener: (() => void) | null = null;
  private seq = 0;

  readonly storage = {
    runs: {
      listRuns: async (filter: { statuses?: readonly string[] }) => ({
        runs: this.records.filter((run) => filter.statuses?.includes(run.status) ?? true).reverse(),
        nextCursor: null,
      }),
    },
    runQueue: {
      watchQueue: async (onChange: () => void): Promise<Subscription> => {
        this.queueListener = onChange;
        return {
          close: async () => {
            this.queueListener = null;
          },
        };
      },
    },
    events: {
      watchEvents: async (
        runId: string,
        _afterSeq: number,
        onEvents: (events: readonly StoredEvent[]) => void,
      ): Promise<Subscription> => {
        const stored = this.events.get(runId) ?? [];
        if (stored.length > 0) onEvents(stored);
        const list = this.watchers.get(runId) ?? [];
        list.push(onEvents);
        this.watchers.set(runId, list);
        return { close: async () => void list.splice(list.indexOf(onEvents), 1) };
      },
    },
  } as unknown as BosunStorage;

  queue(run: Partial<RunRecord> & { runId: string; jobName: string }): void {
    this.records.push({ status: "QUEUED", tags: {}, assetSelection: null, ...run } as RunRecord);
    this.queueListener?.();
  }

  append(runId: string, type: NewEvent["type"], timestamp: number, fields: Partial<NewEvent> = {}): void {
    const event = {
      runId,
      type,
      timestamp,
      stepKey: null,
      level: "info",
      message: "",
      data: {},
      ...fields,
      seq: ++this.seq,
    } as StoredEvent;
    this.events.set(runId, [...(this.events.get(runId) ?? []), event]);
    for (const watcher of this.watchers.get(runId) ?? []) watcher([event]);
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

async function follow(fake: FakeStorage) {
  const lines: string[] = [];
  const subscription = await followRunsInTerminal(fake.storage, {
    runUrl: (runId) => `http://bosun.test/runs/${runId}`,
    print: (line) => lines.push(line),
  });
  return { lines, close: () => subscription.close() };
}

describe("bosun dev's run lines", () => {
  it("say what launched a run, and how long it took to end", async () => {
    const fake = new FakeStorage();
    const { lines, close } = await follow(fake);
    fake.queue({ runId: "3f2a9c1e-0000", jobName: "numbers_job", tags: { "bosun/schedule_name": "daily" } });
    await settle();
    fake.append("3f2a9c1e-0000", "RUN_START", 1_000);
    fake.append("3f2a9c1e-0000", "RUN_CANCELED", 3_500, { data: { reason: "bosun dev is stopping" } });
    await settle();
    expect(lines).toEqual([
      "run 3f2a9c1e numbers_job started (launched by schedule daily) http://bosun.test/runs/3f2a9c1e-0000",
      "run 3f2a9c1e numbers_job CANCELED in 2.5s: bosun dev is stopping http://bosun.test/runs/3f2a9c1e-0000",
    ]);
    await close();
  });

  it("name an asset materialization by its assets, never its internal job", async () => {
    const fake = new FakeStorage();
    fake.queue({ runId: "aaaa1111-0000", jobName: AD_HOC_ASSET_JOB, assetSelection: ["raw", "report"] });
    const { lines, close } = await follow(fake);
    fake.append("aaaa1111-0000", "RUN_START", 0);
    await settle();
    expect(lines).toEqual([
      "run aaaa1111 materialize raw, report started (launched by a user) http://bosun.test/runs/aaaa1111-0000",
    ]);
    await close();
  });

  it("give the run's own failure when no step failed, and print each run once however often the queue changes", async () => {
    const fake = new FakeStorage();
    const { lines, close } = await follow(fake);
    fake.queue({ runId: "bbbb2222-0000", jobName: "etl" });
    fake.queue({ runId: "cccc3333-0000", jobName: "etl" });
    await settle();
    fake.append("bbbb2222-0000", "RUN_FAILURE", 10, {
      data: { reason: "the run worker exited with code 137\nkilled" },
    });
    await settle();
    expect(lines).toEqual([
      "run bbbb2222 etl FAILURE: the run worker exited with code 137 http://bosun.test/runs/bbbb2222-0000",
    ]);
    await close();
    fake.append("cccc3333-0000", "RUN_START", 20);
    await settle();
    expect(lines).toHaveLength(1);
  });
});
