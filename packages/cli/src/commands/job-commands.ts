import { loadDefinitions } from "@bosun/engine";
import type { Command } from "commander";
import { originFrom, parseRunConfigOption, parseTagOptions, tagOption } from "../cli-options.ts";
import { locationOptions } from "../location-target.ts";
import { PLUGIN_DEFINITION_CHECKS } from "../plugins.ts";
import { launchInTerminal } from "../run-in-terminal.ts";

export function registerJobCommands(program: Command): void {
  const job = program.command("job").description("List and execute jobs of a code location");

  job
    .command("list")
    .description("List the jobs of a code location")
    .option("-f, --file <file>", "code location file (TypeScript)")
    .option("-m, --module <module>", "code location module")
    .option("--json", "print JSON only")
    .action(async (options) => {
      const definitions = await loadDefinitions(originFrom(options), { checks: PLUGIN_DEFINITION_CHECKS });
      const jobs = [...definitions.jobs.values()].map((j) => ({
        name: j.name,
        description: j.description ?? null,
        steps: j.graph().nodes.map((n) => n.name),
        assetKeys: [...j.assetKeys],
        partitioned: j.partitions !== undefined,
        tags: j.tags,
      }));
      if (options.json) process.stdout.write(`${JSON.stringify(jobs, null, 2)}\n`);
      else
        for (const j of jobs)
          process.stdout.write(
            `${j.name}\t${j.steps.length} steps${j.description ? `\t${j.description}` : ""}\n`,
          );
    });

  const execute = job
    .command("execute")
    .description("Execute a job now, in this process, showing progress; exits 0 when the run succeeds")
    .option("-f, --file <file>", "code location file (TypeScript)")
    .option("-m, --module <module>", "code location module")
    .requiredOption("-j, --job <name>", "job to execute")
    .option("-c, --config <yaml>", "run config: a YAML/JSON file, or YAML/JSON text");
  tagOption(execute, "a run tag")
    .option("--partition <key>", "partition to run")
    .option("-v, --verbose", "show every event")
    .option("--json", "print only the final run as JSON on stdout")
    .action(async (options) => {
      const origin = originFrom(options);
      const runConfig = parseRunConfigOption(options.config);
      const tags = parseTagOptions(options.tag);
      const definitions = await loadDefinitions(origin, { checks: PLUGIN_DEFINITION_CHECKS });
      await launchInTerminal({
        origin,
        definitions,
        request: { jobName: options.job, runConfig, tags, partitionKey: options.partition ?? null },
        verbose: Boolean(options.verbose),
        json: Boolean(options.json),
      });
    });

  const launch = locationOptions(
    job
      .command("launch")
      .description(
        "Queue a run on the instance, as the UI's launchpad does; a daemon (bosun dev, bosun daemon run) launches it",
      ),
  )
    .requiredOption("-j, --job <name>", "job to launch")
    .option("-c, --config <yaml>", "run config: a YAML/JSON file, or YAML/JSON text");
  tagOption(launch, "a run tag")
    .option("--partition <key>", "partition to run")
    .option("--json", "print { runId, status, location, url } as JSON")
    .action(async (options) => {
      const { launchJob } = await import("./job-launch.ts");
      await launchJob(options);
    });
}
