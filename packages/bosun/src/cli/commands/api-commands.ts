import type { Command } from "commander";
import { executeRun } from "../../execution/execute-run.ts";
import { openInstance } from "../../instance/instance.ts";
import { originFrom } from "../cli-options.ts";

/** Entry points that launchers start; not meant to be typed by people. */
export function registerApiCommands(program: Command): void {
  const api = program
    .command("api")
    .description("Entry points used by launchers (run workers, step workers)");

  api
    .command("execute-run <runId>")
    .description("Execute a stored run to completion (the run worker); SIGTERM cancels it")
    .option("-f, --file <file>", "code location file (TypeScript)")
    .option("-m, --module <module>", "code location module")
    .option(
      "--exit-code-on-failure",
      "exit non-zero when the run does not succeed (for a Kubernetes pod to fail)",
    )
    .action(async (runId: string, options) => {
      const origin = originFrom(options);
      const abort = new AbortController();
      const cancel = () => abort.abort(new Error("SIGTERM"));
      process.on("SIGTERM", cancel);
      process.on("SIGINT", cancel);
      const instance = await openInstance({ applicationName: "bosun-run-worker" });
      try {
        const status = await executeRun({
          storage: instance.storage,
          bosunHome: instance.home,
          runId,
          origin,
          childEnv: instance.childEnv,
          signal: abort.signal,
        });
        process.stderr.write(`run ${runId} ended ${status}\n`);
        if (options.exitCodeOnFailure && status !== "SUCCESS") process.exitCode = 1;
      } finally {
        await instance.close();
      }
    });
}
