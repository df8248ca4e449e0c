import { startWorkspace, type Workspace } from "@bosun/code-server";
import { openInstance } from "@bosun/instance";
import { assertBindAllowed, type RunningWebserver, startWebserver } from "@bosun/webserver";
import { adoptBootstrapToken } from "./bootstrap-token.ts";
import { BOSUN_COMMAND } from "./bosun-command.ts";
import { PLUGIN_DEFINITION_CHECKS } from "./plugins.ts";
import { untilSignal } from "./until-signal.ts";

/**
 * `bosun webserver -w workspace.yaml [--host 127.0.0.1] [--port 3000] [--read-only] [--insecure-allow-anonymous]`: opens the instance's
 * storage and the workspace, serves until SIGINT/SIGTERM, then closes everything it opened. Without a
 * run launcher in this process, runs that already started cannot be terminated from here (409).
 */
export async function runWebserverCommand(
  source: { readonly workspaceFile: string } | { readonly file: string },
  options: {
    readonly host: string;
    readonly port: number;
    readonly readOnly: boolean;
    /** The URL people reach the webserver at, and more names to answer to (else from the environment). */
    readonly publicUrl?: string;
    readonly allowedHosts?: readonly string[];
    /** Serve without auth on a non-loopback address (`--insecure-allow-anonymous`). */
    readonly allowAnonymous: boolean;
  },
): Promise<void> {
  const instance = await openInstance({ applicationName: "bosun-webserver" });
  try {
    assertBindAllowed({ host: options.host, auth: instance.auth, allowAnonymous: options.allowAnonymous });
    const adopted = await adoptBootstrapToken(instance.storage.auth, process.env, new Date());
    if (adopted) process.stdout.write(`${adopted}\n`);
  } catch (error) {
    await instance.close();
    throw error;
  }
  let workspace: Workspace | null = null;
  let server: RunningWebserver | null = null;
  try {
    workspace = await startWorkspace(source, { env: instance.childEnv, bosunCommand: BOSUN_COMMAND });
    server = await startWebserver({
      storage: instance.storage,
      workspace,
      // Branch deployments' code locations come from their locations file and agent, not from here.
      deployments: { storages: instance.deployments },
      readOnly: options.readOnly,
      auth: instance.auth,
      allowAnonymous: options.allowAnonymous,
      ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
      ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
      host: options.host,
      port: options.port,
      queueLimits: instance.daemon.runCoordinator,
      runTagChecks: PLUGIN_DEFINITION_CHECKS.tags ?? {},
      logger: { level: "info" },
    });
    process.stdout.write(
      `Bosun webserver listening on ${server.url}${options.readOnly ? " (read-only)" : ""}${
        instance.auth.enabled ? "" : " (auth off: no sign-in, every caller may do everything)"
      }\n`,
    );
    await untilSignal();
  } finally {
    await server?.close();
    await workspace?.close();
    await instance.close();
  }
}
