/**
 * The `bosun` command's plugins: everything beyond the built-in launcher and executors. One typed list,
 * imported statically; each plugin loads its heavy parts only when a command uses them.
 */
import { k8sPlugin } from "@bosun/k8s/plugin";
import { queuesPlugin } from "@bosun/queues/plugin";
import { type BosunPlugin, pluginDefinitionChecks, pluginExecutors } from "@bosun/runs";

export const PLUGINS: readonly BosunPlugin[] = [k8sPlugin, queuesPlugin];

/** The plugins' executors, for run workers. */
export const PLUGIN_EXECUTORS = pluginExecutors(PLUGINS);

/**
 * The plugins' checks of tags and container context, for every command that loads a code location
 * (code servers, `job list`, `job execute`, ...): a misspelt `bosun-k8s/config` key fails the load.
 */
export const PLUGIN_DEFINITION_CHECKS = pluginDefinitionChecks(PLUGINS);
