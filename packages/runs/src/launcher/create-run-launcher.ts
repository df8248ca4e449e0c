import type { BosunCommand } from "@bosun/core";
import type { Instance } from "@bosun/instance";
import type { BosunPlugin } from "../plugins/bosun-plugin.ts";
import { DefaultRunLauncher } from "./default-run-launcher.ts";
import type { RunLauncher, RunLauncherFactory } from "./run-launcher.ts";

/** No plugin provides the launcher `bosun.yaml` asks for. */
export class UnknownRunLauncherError extends Error {
  constructor(
    readonly kind: string,
    readonly known: readonly string[],
  ) {
    super(
      `run_launcher.${kind}: no such launcher (launchers: ${["default", ...known].join(", ")}); launchers other than the default one come from the plugins of the bosun command`,
    );
    this.name = "UnknownRunLauncherError";
  }
}

/**
 * The launcher the instance's `run_launcher` section names: the default one (a local process per run)
 * or one a plugin provides (e.g. `k8s`), loaded only when asked for.
 */
export async function createRunLauncher(
  instance: Pick<Instance, "childEnv" | "home" | "daemon">,
  options: { readonly plugins: readonly BosunPlugin[]; readonly bosunCommand: BosunCommand },
): Promise<RunLauncher> {
  const settings = instance.daemon.runLauncher;
  if (settings.kind === "default")
    return new DefaultRunLauncher({
      childEnv: instance.childEnv,
      command: options.bosunCommand,
      ...(settings.logDirectory ? { logDirectory: settings.logDirectory } : {}),
    });
  const loaders = Object.assign({}, ...options.plugins.map((plugin) => plugin.runLaunchers ?? {})) as Record<
    string,
    () => Promise<RunLauncherFactory>
  >;
  const load = loaders[settings.kind];
  if (!load) throw new UnknownRunLauncherError(settings.kind, Object.keys(loaders));
  const factory = await load();
  return factory(instance, settings.config);
}
