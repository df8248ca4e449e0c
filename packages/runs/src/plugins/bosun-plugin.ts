import type { ExecutorLoaders } from "@bosun/engine";
import type { RunLauncherFactory } from "../launcher/run-launcher.ts";

/**
 * What a package adds to Bosun (the Kubernetes package is one): run launcher kinds for `bosun.yaml`'s
 * `run_launcher` section and executors for jobs. The `bosun` command lists its plugins in one typed
 * array and hands them to the parts that need them; nothing registers itself on import. Each entry is
 * a loader, so a process pays for a plugin's code only when it uses what the plugin provides.
 *
 * @example
 * export const k8sPlugin: BosunPlugin = {
 *   name: "@bosun/k8s",
 *   runLaunchers: { k8s: async () => (await import("./launcher/k8s-launcher-factory.ts")).k8sLauncherFactory },
 *   executors: { k8s: async () => (await import("./executor/k8s-job-executor.ts")).k8sExecutorFactory },
 * };
 */
export interface BosunPlugin {
  /** The package's name, for messages. */
  readonly name: string;
  /** Launcher kinds by their key under `run_launcher` in `bosun.yaml`. */
  readonly runLaunchers?: Readonly<Record<string, () => Promise<RunLauncherFactory>>>;
  /** Executors by the name a job's executor definition carries. */
  readonly executors?: ExecutorLoaders;
}

/** Every plugin's executors in one catalog (a later plugin wins a name clash). */
export function pluginExecutors(plugins: readonly BosunPlugin[]): ExecutorLoaders {
  return Object.assign({}, ...plugins.map((plugin) => plugin.executors ?? {}));
}
