import { Command, CommanderError } from "commander";
import { CliError, describeCliError } from "./cli-error.ts";
import { ignoreClosedOutput } from "./closed-output.ts";

type Register = (program: Command) => void;

/**
 * Command groups, loaded only when used: a run worker (`bosun api execute-run`) starts without loading
 * the webserver, the daemon or the code server, which keeps launches fast.
 */
const GROUPS: Record<string, () => Promise<Register>> = {
  job: async () => (await import("./commands/job-commands.ts")).registerJobCommands,
  asset: async () => (await import("./commands/asset-commands.ts")).registerAssetCommands,
  run: async () => (await import("./commands/run-commands.ts")).registerRunCommands,
  instance: async () => (await import("./commands/instance-commands.ts")).registerInstanceCommands,
  webserver: async () => (await import("./commands/server-commands.ts")).registerServerCommands,
  dev: async () => (await import("./commands/server-commands.ts")).registerServerCommands,
  api: async () => (await import("./commands/api-commands.ts")).registerApiCommands,
  daemon: async () => (await import("./commands/daemon-commands.ts")).registerDaemonCommands,
  schedule: async () => (await import("./commands/instigator-commands.ts")).registerInstigatorCommands,
  sensor: async () => (await import("./commands/instigator-commands.ts")).registerInstigatorCommands,
  definitions: async () => (await import("./commands/definitions-commands.ts")).registerDefinitionsCommands,
  k8s: async () => (await import("./commands/k8s-commands.ts")).registerK8sCommands,
  queue: async () => (await import("./commands/queue-commands.ts")).registerQueueCommands,
  auth: async () => (await import("./commands/auth-commands.ts")).registerAuthCommands,
  token: async () => (await import("./commands/auth-commands.ts")).registerAuthCommands,
  deploy: async () => (await import("./commands/deploy-commands.ts")).registerDeployCommands,
  deployment: async () => (await import("./commands/deployment-commands.ts")).registerDeploymentCommands,
};

ignoreClosedOutput();

const program = new Command()
  .name("bosun")
  .description("Bosun: define assets, ops and jobs in TypeScript; run, schedule and watch them")
  .version("0.1.0")
  .showHelpAfterError("(add --help for usage)")
  .exitOverride();

const wanted = GROUPS[process.argv[2] ?? ""];
// Help and unknown commands need every group; a known command needs only its own.
const registers = wanted
  ? [await wanted()]
  : await Promise.all([...new Set(Object.values(GROUPS))].map((load) => load()));
for (const register of new Set(registers)) register(program);

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
