import { Command, CommanderError } from "commander";
import { CliError, describeCliError } from "./cli-error.ts";
import { registerApiCommands } from "./commands/api-commands.ts";
import { registerAssetCommands } from "./commands/asset-commands.ts";
import { registerDaemonCommands } from "./commands/daemon-commands.ts";
import { registerInstanceCommands } from "./commands/instance-commands.ts";
import { registerJobCommands } from "./commands/job-commands.ts";
import { registerK8sCommands } from "./commands/k8s-commands.ts";
import { registerRunCommands } from "./commands/run-commands.ts";
import { registerServerCommands } from "./commands/server-commands.ts";

const program = new Command()
  .name("bosun")
  .description("Bosun: define assets, ops and jobs in TypeScript; run, schedule and watch them")
  .version("0.1.0")
  .showHelpAfterError("(add --help for usage)")
  .exitOverride();

registerJobCommands(program);
registerAssetCommands(program);
registerRunCommands(program);
registerInstanceCommands(program);
registerServerCommands(program);
registerApiCommands(program);
registerDaemonCommands(program);
registerK8sCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // commander has printed its own message (or help/version output).
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`error: ${describeCliError(error)}\n`);
    process.exitCode = error instanceof CliError ? error.exitCode : 1;
    if (process.env.BOSUN_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ""}\n`);
  }
}
