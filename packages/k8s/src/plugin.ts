/**
 * `@bosun/k8s/plugin`: what this package adds to the `bosun` command, and nothing heavier. The launcher
 * and the executor load the Kubernetes client only when `bosun.yaml` or a job asks for them, so a run
 * worker of a local job starts without it; the config checks load the schemas only when a definition
 * carries a `bosun-k8s/config` tag or the location has a `container_context.k8s`.
 */
import type { BosunPlugin } from "@bosun/runs";

const loadChecks = () => import("./config/definition-checks.ts");

/** The Kubernetes run launcher (`k8s`) and step executor (`k8s`), loaded on first use. */
export const k8sPlugin: BosunPlugin = {
  name: "@bosun/k8s",
  runLaunchers: {
    k8s: async () => {
      const { K8sRunLauncher } = await import("./launcher/k8s-run-launcher.ts");
      return (_instance, config) => K8sRunLauncher.fromConfig(config);
    },
  },
  executors: {
    k8s: async () => (await import("./executor/k8s-job-executor.ts")).k8sExecutorFactory,
  },
  definitionChecks: {
    // The tag's key is spelt out rather than imported from tag.ts, which would load yaml and zod here.
    tags: { "bosun-k8s/config": async () => (await loadChecks()).checkK8sConfigTag },
    containerContext: { k8s: async () => (await loadChecks()).checkK8sContainerContext },
  },
};
