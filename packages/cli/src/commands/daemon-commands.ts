import { openInstance } from "@bosun/instance";
import type { Command } from "commander";
import { startDaemonServices } from "../daemon-services.ts";
import { untilSignal } from "../until-signal.ts";
import { workspaceSourceFrom } from "../workspace-source.ts";

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
      const source = workspaceSourceFrom(options);
      const instance = await openInstance({ applicationName: "bosun-daemon" });
      const cleanup: (() => Promise<unknown>)[] = [() => instance.close()];
      try {
        await startDaemonServices(instance, source, cleanup);
        await untilSignal();
      } finally {
        for (const step of cleanup) await step();
      }
    });
}
