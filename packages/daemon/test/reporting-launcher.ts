import type { LocationEntry } from "@bosun/code-server";
import type { RunRecord } from "@bosun/core";
import type { LauncherInfo, RunHealth, RunLauncher, RunObserver } from "@bosun/runs";

/**
 * A launcher that learns about its workers as things happen, as the Kubernetes one does with its
 * watches: a test reports through `observer` (what the daemon's run monitor gave it) and sets what
 * `checkHealth` answers per run. It starts nothing and writes nothing.
 */
export class ReportingLauncher implements RunLauncher {
  readonly name = "reporting";
  observer: RunObserver | null = null;
  /** `checkHealth` per run id; RUNNING when absent. */
  readonly health = new Map<string, RunHealth>();

  async launch(_run: RunRecord, _location: LocationEntry): Promise<LauncherInfo> {
    return { launcher: this.name };
  }

  async terminate(): Promise<boolean> {
    return false;
  }

  async checkHealth(run: RunRecord): Promise<RunHealth> {
    return this.health.get(run.runId) ?? { status: "RUNNING" };
  }

  observe(observer: RunObserver): () => Promise<void> {
    if (this.observer) throw new Error("already observed");
    this.observer = observer;
    return async () => {
      this.observer = null;
    };
  }

  async close(): Promise<void> {}
}
