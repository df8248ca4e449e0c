/**
 * Makes `run_launcher: { k8s: {...} }` in bosun.yaml available: importing `@bosun/k8s` registers the
 * `k8s` launcher kind with Bosun's launcher factory.
 */
import { registerRunLauncherFactory } from "@bosun/runs";
import { K8S_LAUNCHER_NAME, K8sRunLauncher } from "./k8s-run-launcher.ts";

/** Registers the `k8s` run launcher kind (done on import of `@bosun/k8s`; calling it again is harmless). */
export function registerK8sRunLauncher(): void {
  registerRunLauncherFactory(K8S_LAUNCHER_NAME, (instance, config) =>
    K8sRunLauncher.fromConfig(config, instance.storage),
  );
}
