/**
 * The runtime's own parsers, through the packages' public surfaces: what the chart renders must be
 * accepted by exactly the code that reads it in the pods.
 */

import { parseWorkspaceConfig } from "@bosun/code-server";
import {
  parseAuthSettings,
  parseComputeLogSettings,
  parseDaemonSettings,
  readInstanceConfig,
} from "@bosun/instance";
import { K8sContainerContextSchema, K8sRunLauncherConfigSchema, parseK8sConfig } from "@bosun/k8s";
import { parseStorageConfig } from "@bosun/storage";

/**
 * Validates a bosun.yaml file in `home` the way a Bosun process does at start: the top-level keys,
 * the storage section, compute logs, auth, the daemon sections, and the Kubernetes launcher's config.
 */
export function validateInstanceHome(home: string) {
  const { raw } = readInstanceConfig(home);
  const storage = parseStorageConfig(raw.storage);
  const computeLogs = parseComputeLogSettings(raw);
  const auth = parseAuthSettings(raw);
  const daemon = parseDaemonSettings(raw);
  const launcher =
    daemon.runLauncher.kind === "k8s"
      ? parseK8sConfig(K8sRunLauncherConfigSchema, daemon.runLauncher.config, "run_launcher.k8s")
      : null;
  return { raw, storage, computeLogs, auth, daemon, launcher };
}

export function validateWorkspace(text: string) {
  return parseWorkspaceConfig(text, "/opt/bosun/workspace/workspace.yaml");
}

/** A code server's BOSUN_CONTAINER_CONTEXT, checked as the Kubernetes launcher reads its `k8s` part. */
export function validateContainerContext(json: string) {
  const parsed = JSON.parse(json) as { k8s?: unknown };
  return parseK8sConfig(K8sContainerContextSchema, parsed.k8s, "BOSUN_CONTAINER_CONTEXT.k8s");
}
