import type { Instance } from "@bosun/instance";
import { DefaultRunLauncher } from "./default-run-launcher.ts";
import type { RunLauncher } from "./run-launcher.ts";

/** Builds a run launcher from its `run_launcher.<kind>` section of `bosun.yaml`. */
export type RunLauncherFactory = (
  instance: Pick<Instance, "storage" | "childEnv" | "home">,
  config: Readonly<Record<string, unknown>>,
) => RunLauncher | Promise<RunLauncher>;

const factories = new Map<string, RunLauncherFactory>();

/** Lets another package (e.g. `@bosun/k8s` for `run_launcher.k8s`) provide a launcher kind. */
export function registerRunLauncherFactory(kind: string, factory: RunLauncherFactory): void {
  factories.set(kind, factory);
}

/** No factory was registered for the launcher `bosun.yaml` asks for. */
export class UnknownRunLauncherError extends Error {
  constructor(
    readonly kind: string,
    options?: { cause?: unknown },
  ) {
    super(
      `run_launcher.${kind}: no such launcher is available in this process (the Kubernetes launcher comes with @bosun/k8s, which must register it)`,
      options,
    );
    this.name = "UnknownRunLauncherError";
  }
}

/** The launcher the instance's `run_launcher` section names (default: `DefaultRunLauncher`). */
export async function createRunLauncher(
  instance: Pick<Instance, "storage" | "childEnv" | "home" | "daemon">,
): Promise<RunLauncher> {
  const settings = instance.daemon.runLauncher;
  if (settings.kind === "default")
    return new DefaultRunLauncher({
      runs: instance.storage.runs,
      childEnv: instance.childEnv,
      ...(settings.logDirectory ? { logDirectory: settings.logDirectory } : {}),
    });
  if (!factories.has(settings.kind) && settings.kind === "k8s") {
    // The Kubernetes package registers its launcher when imported; it depends on this one, so it is
    // loaded only when bosun.yaml asks for it.
    await import("@bosun/k8s").catch((error: unknown) => {
      throw new UnknownRunLauncherError(settings.kind, { cause: error });
    });
  }
  const factory = factories.get(settings.kind);
  if (!factory) throw new UnknownRunLauncherError(settings.kind);
  return factory(instance, settings.config);
}
