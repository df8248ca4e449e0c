import type { LocationEntry } from "@bosun/code-server";
import type { RunRecord } from "@bosun/core";
import { newEvent } from "@bosun/core";
import type { LauncherInfo, RunHealth, RunLauncher } from "@bosun/runs";
import type { BosunStorage } from "@bosun/storage";

/**
 * A launcher whose "workers" are timers writing the events a real worker writes (RUN_START, then
 * RUN_SUCCESS) to the real storage, for tests of queue admission under bursts that would need hundreds of
 * processes otherwise. It counts workers alive at once, overall and per tag value, as seen from outside
 * the database. The process-based launcher has its own end-to-end tests.
 */
export class SimulatedLauncher implements RunLauncher {
  readonly name = "simulated";
  readonly launched: RunRecord[] = [];
  private readonly active = new Map<string, RunRecord>();
  private readonly timers = new Set<NodeJS.Timeout>();
  maxActive = 0;
  /** Largest number of simultaneously active workers whose run had tag `key` = value, by "key=value". */
  readonly maxActiveByTag = new Map<string, number>();
  /** Launches fail with this message while set. */
  failWith: string | null = null;

  constructor(
    private readonly storage: BosunStorage,
    private readonly options: { readonly runMs?: (run: RunRecord) => number } = {},
  ) {}

  async launch(run: RunRecord, _location: LocationEntry): Promise<LauncherInfo> {
    if (this.failWith) throw new Error(this.failWith);
    this.launched.push(run);
    this.active.set(run.runId, run);
    this.maxActive = Math.max(this.maxActive, this.active.size);
    for (const [key, value] of Object.entries(run.tags)) {
      const tag = `${key}=${value}`;
      const count = [...this.active.values()].filter((r) => r.tags[key] === value).length;
      this.maxActiveByTag.set(tag, Math.max(this.maxActiveByTag.get(tag) ?? 0, count));
    }
    // The simulated worker starts at once; the daemon records the launcher info this returns.
    await this.storage.events.appendEvents([
      newEvent(run.runId, "RUN_START", { message: "RUN_START", data: {} }),
    ]);
    const timer = setTimeout(async () => {
      this.timers.delete(timer);
      // Counted as ended before the database frees its slot, so what is counted here never includes a
      // run admitted into that slot: an overlap seen here is an overlap in the database.
      this.active.delete(run.runId);
      await this.storage.events
        .appendEvents([newEvent(run.runId, "RUN_SUCCESS", { message: "RUN_SUCCESS", data: {} })])
        .catch(() => undefined);
    }, this.options.runMs?.(run) ?? 30);
    this.timers.add(timer);
    return { launcher: this.name };
  }

  async terminate(run: RunRecord): Promise<boolean> {
    return this.active.has(run.runId);
  }

  async checkHealth(run: RunRecord): Promise<RunHealth> {
    return { status: this.active.has(run.runId) ? "RUNNING" : "NOT_FOUND" };
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  get activeCount(): number {
    return this.active.size;
  }
}
