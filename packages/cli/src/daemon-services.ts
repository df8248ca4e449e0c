import { startWorkspace, type Workspace } from "@bosun/code-server";
import { type DaemonHandle, startDaemon, startDeploymentDaemons } from "@bosun/daemon";
import type { Instance } from "@bosun/instance";
import { createRunLauncher, type RunLauncher } from "@bosun/runs";
import { BOSUN_COMMAND } from "./bosun-command.ts";
import { PLUGINS } from "./plugins.ts";
import type { WorkspaceSource } from "./workspace-source.ts";

/** What a daemon process runs: the workspace's code servers, the run launcher and the daemon's loops. */
export interface DaemonServices {
  readonly workspace: Workspace;
  readonly launcher: RunLauncher;
  readonly daemon: DaemonHandle;
}

/**
 * Starts the daemon's services (`bosun daemon run`, `bosun dev`). Each one started is put at the front
 * of `cleanup`, so the caller stops everything in reverse order, also when a later start fails.
 */
export async function startDaemonServices(
  instance: Instance,
  source: WorkspaceSource,
  cleanup: (() => Promise<unknown>)[],
): Promise<DaemonServices> {
  const workspace = await startWorkspace(source, { env: instance.childEnv, bosunCommand: BOSUN_COMMAND });
  cleanup.unshift(() => workspace.close());
  const launcher = await createRunLauncher(instance, { plugins: PLUGINS, bosunCommand: BOSUN_COMMAND });
  cleanup.unshift(() => launcher.close());
  const daemon = await startDaemon({ instance, workspace, launcher });
  cleanup.unshift(() => daemon.stop());
  // Open branch deployments get the same loops, each over its own storage, with a launcher whose
  // workers reach that storage.
  const branches = startDeploymentDaemons({
    deployments: instance.deployments,
    settings: instance.daemon,
    launcherFor: (_name, storage) =>
      createRunLauncher(
        { ...instance, childEnv: { ...instance.childEnv, ...storage.childProcessEnv() } },
        { plugins: PLUGINS, bosunCommand: BOSUN_COMMAND },
      ),
  });
  cleanup.unshift(() => branches.stop());
  return { workspace, launcher, daemon };
}
