import { type DefinitionChecks, type ExecutorLoaders, mergeDefinitionChecks } from "@bosun/engine";
import type { RunLauncherFactory } from "../launcher/run-launcher.ts";

/**
 * What a package adds to Bosun (the Kubernetes package is one): run launcher kinds for `bosun.yaml`'s
 * `run_launcher` section, executors for jobs, and checks of the tags and container context it reads,
 * run when a code location loads. The `bosun` command lists its plugins in one typed
 * array and hands them to the parts that need them; nothing registers itself on import. Each entry is
 * a loader, so a process pays for a plugin's code only when it uses what the plugin provides.
 *
 * @example
 * export const k8sPlugin: BosunPlugin = {
 *   name: "@bosun/k8s",
 *   runLaunchers: { k8s: async () => (await import("./launcher/k8s-launcher-factory.ts")).k8sLauncherFactory },
 *   executors: { k8s: async () => (await import("./executor/k8s-job-executor.ts")).k8sExecutorFactory },
 *   definitionChecks: {
 *     tags: { "bosun-k8s/config": async () => (await import("./config/definition-checks.ts")).checkK8sConfigTag },
 *   },
 * };
 */
export interface BosunPlugin {
  /** The package's name, for messages. */
  readonly name: string;
  /** Launcher kinds by their key under `run_launcher` in `bosun.yaml`. */
  readonly runLaunchers?: Readonly<Record<string, () => Promise<RunLauncherFactory>>>;
  /** Executors by the name a job's executor definition carries. */
  readonly executors?: ExecutorLoaders;
  /**
   * Checks of tag values (by tag key) and container context sections (by key) that this plugin reads:
   * code servers and `bosun job list` run them when the code loads, so a mistake fails the load
   * instead of the run.
   */
  readonly definitionChecks?: DefinitionChecks;
}

/** Every plugin's executors in one catalog (a later plugin wins a name clash). */
export function pluginExecutors(plugins: readonly BosunPlugin[]): ExecutorLoaders {
  return Object.assign({}, ...plugins.map((plugin) => plugin.executors ?? {}));
}

/** Every plugin's definition checks in one catalog (a later plugin wins a key clash). */
export function pluginDefinitionChecks(plugins: readonly BosunPlugin[]): DefinitionChecks {
  return mergeDefinitionChecks(plugins.map((plugin) => plugin.definitionChecks));
}
