/**
 * The runtime's own parsers, through the packages' public surfaces: what the chart renders must be
 * accepted by exactly the code that reads it in the pods.
 */
import { K8sContainerContextSchema, K8sRunLauncherConfigSchema, parseK8sConfig } from "@bosun/k8s";
import * as bosun from "bosun";

interface InstanceParsers {
  readInstanceConfig(home: string): { path: string | null; raw: Record<string, unknown> };
  parseStorageConfig(value: unknown): unknown;
  parseDaemonSettings(raw: Readonly<Record<string, unknown>>): {
    runCoordinator: { maxConcurrentRuns: number | null; tagConcurrencyLimits: readonly unknown[] };
    runLauncher: { kind: "default" } | { kind: "k8s"; config: Readonly<Record<string, unknown>> };
    retention: Readonly<Record<string, unknown>>;
  };
  parseComputeLogSettings(raw: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>>;
  parseWorkspaceConfig(text: string, file: string): { locations: readonly unknown[] };
}

function parsers(): InstanceParsers {
  const exported = bosun as unknown as Partial<InstanceParsers>;
  const names = [
    "readInstanceConfig",
    "parseStorageConfig",
    "parseDaemonSettings",
    "parseComputeLogSettings",
    "parseWorkspaceConfig",
  ] as const;
  const missing = names.filter((name) => typeof exported[name] !== "function");
  if (missing.length > 0) throw new Error(`the bosun package must export ${missing.join(", ")}`);
  return exported as InstanceParsers;
}

/**
 * Validates a bosun.yaml file in `home` the way a Bosun process does at start: the top-level keys,
 * the storage section, compute logs, the daemon sections, and the Kubernetes launcher's config.
 */
export function validateInstanceHome(home: string) {
  const { readInstanceConfig, parseStorageConfig, parseDaemonSettings, parseComputeLogSettings } = parsers();
  const { raw } = readInstanceConfig(home);
  const storage = parseStorageConfig(raw.storage);
  const computeLogs = parseComputeLogSettings(raw);
  const daemon = parseDaemonSettings(raw);
  const launcher =
    daemon.runLauncher.kind === "k8s"
      ? parseK8sConfig(K8sRunLauncherConfigSchema, daemon.runLauncher.config, "run_launcher.k8s")
      : null;
  return { raw, storage, computeLogs, daemon, launcher };
}

export function validateWorkspace(text: string) {
  return parsers().parseWorkspaceConfig(text, "/opt/bosun/workspace/workspace.yaml");
}

/** A code server's BOSUN_CONTAINER_CONTEXT, checked as the Kubernetes launcher reads its `k8s` part. */
export function validateContainerContext(json: string) {
  const parsed = JSON.parse(json) as { k8s?: unknown };
  return parseK8sConfig(K8sContainerContextSchema, parsed.k8s, "BOSUN_CONTAINER_CONTEXT.k8s");
}
