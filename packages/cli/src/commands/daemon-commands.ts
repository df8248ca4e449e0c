import { startWorkspace } from "@bosun/code-server";
import { startDaemon } from "@bosun/daemon";
import { openInstance } from "@bosun/instance";
import { createRunLauncher } from "@bosun/runs";
import type { Command } from "commander";
import { BOSUN_COMMAND } from "../bosun-command.ts";
import { CliError } from "../cli-error.ts";
import { PLUGINS } from "../plugins.ts";

/** `bosun daemon run`: the run queue, scheduler, sensors, run monitor and retention, until SIGTERM or SIGINT. */
export function registerDaemonCommands(program: Command): void {
  const daemon = program
    .command("daemon")
    .description("The Bosun daemon: run queue, schedules, sensors, run monitoring, retention");

  daemon
    .command("run")
    .description("Run every daemon loop until SIGTERM or SIGINT")
    .option("-w, --workspace <file>", "workspace.yaml listing the code locations")
    .option("-f, --file <file>", "a single code location file (TypeScript)")
    .action(async (options: { workspace?: string; file?: string }) => {
      if (options.workspace && options.file)
        throw new CliError("give either -w/--workspace or -f/--file, not both", 2);
      const source = options.workspace
        ? { workspaceFile: options.workspace }
        : options.file
          ? { file: options.file }
          : { workspaceFile: "workspace.yaml" };
      const instance = await openInstance({ applicationName: "bosun-daemon" });
      const cleanup: (() => Promise<void>)[] = [() => instance.close()];
      try {
        const workspace = await startWorkspace(source, {
          env: instance.childEnv,
          bosunCommand: BOSUN_COMMAND,
        });
        cleanup.unshift(() => workspace.close());
        const launcher = await createRunLauncher(instance, { plugins: PLUGINS, bosunCommand: BOSUN_COMMAND });
        cleanup.unshift(() => launcher.close());
        const handle = await startDaemon({ instance, workspace, launcher });
        cleanup.unshift(() => handle.stop());
        await new Promise<void>((resolve) => {
          process.once("SIGTERM", resolve);
          process.once("SIGINT", resolve);
        });
      } finally {
        for (const step of cleanup) await step();
      }
    });
}
