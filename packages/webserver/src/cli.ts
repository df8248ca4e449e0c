import { startWorkspace, type Workspace } from "@bosun/code-server";
import type { BosunCommand } from "@bosun/core";
import { openInstance } from "@bosun/instance";
import type { RunTagChecks } from "./runs/check-run-tags.ts";
import { type RunningWebserver, startWebserver } from "./server/start-webserver.ts";
import type { TerminateRun } from "./server/webserver-context.ts";

export interface RunWebserverCommandOptions {
  /** `workspace.yaml` listing the code locations. */
  readonly workspaceFile?: string;
  /** A single code location file (instead of a workspace file). */
  readonly file?: string;
  readonly host?: string;
  readonly port?: number;
  readonly readOnly?: boolean;
  /** How to start `bosun` for local code servers (the CLI passes its own). */
  readonly bosunCommand: BosunCommand;
  /** BOSUN_HOME; default from the environment. */
  readonly home?: string;
  /** Opens the workspace (starting local code servers). Default: `startWorkspace` from `bosun`. */
  readonly openWorkspace?: (source: { workspaceFile: string } | { file: string }) => Promise<Workspace>;
  readonly terminateRun?: TerminateRun;
  /** Checks of launch request tags by tag key (the CLI passes its plugins'). */
  readonly runTagChecks?: RunTagChecks;
  /** Where to say where the server listens (default stdout). */
  readonly print?: (line: string) => void;
  /** Resolves when the server should stop; default: SIGINT or SIGTERM. */
  readonly until?: Promise<unknown>;
}

/**
 * `bosun webserver -w workspace.yaml [--host 127.0.0.1] [--port 3000] [--read-only]`: opens the instance's
 * storage and the workspace, serves until SIGINT/SIGTERM, then closes everything it opened.
 */
export async function runWebserverCommand(options: RunWebserverCommandOptions): Promise<void> {
  if ((options.workspaceFile === undefined) === (options.file === undefined))
    throw new Error("bosun webserver: give either -w <workspace.yaml> or -f <file> (exactly one)");
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const instance = await openInstance({
    ...(options.home ? { home: options.home } : {}),
    applicationName: "bosun-webserver",
  });
  let workspace: Workspace | null = null;
  let server: RunningWebserver | null = null;
  try {
    const source =
      options.workspaceFile !== undefined
        ? { workspaceFile: options.workspaceFile }
        : { file: options.file! };
    const open =
      options.openWorkspace ??
      ((s: typeof source) =>
        startWorkspace(s, { env: instance.childEnv, bosunCommand: options.bosunCommand }));
    workspace = await open(source);
    server = await startWebserver({
      storage: instance.storage,
      workspace,
      readOnly: options.readOnly ?? false,
      host: options.host ?? "127.0.0.1",
      port: options.port ?? 3000,
      ...(options.terminateRun ? { terminateRun: options.terminateRun } : {}),
      ...(options.runTagChecks ? { runTagChecks: options.runTagChecks } : {}),
      queueLimits: instance.daemon.runCoordinator,
      logger: { level: "info" },
    });
    print(`Bosun webserver listening on ${server.url}${options.readOnly ? " (read-only)" : ""}`);
    await (options.until ?? untilSignal());
  } finally {
    await server?.close();
    await workspace?.close();
    await instance.close();
  }
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(signal);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
