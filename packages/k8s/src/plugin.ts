/**
 * `@bosun/k8s/plugin`: what this package adds to the `bosun` command, and nothing heavier. The launcher
 * and the executor load the Kubernetes client only when `bosun.yaml` or a job asks for them, so a run
 * worker of a local job starts without it.
 */
import type { BosunPlugin } from "@bosun/runs";

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
};
