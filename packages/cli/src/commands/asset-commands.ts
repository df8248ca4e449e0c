import { loadDefinitions } from "@bosun/engine";
import { selectAssets } from "bosun";
import type { Command } from "commander";
import { originFrom, parseRunConfigOption, parseTagOptions, tagOption } from "../cli-options.ts";
import { PLUGIN_DEFINITION_CHECKS } from "../plugins.ts";
import { launchInTerminal } from "../run-in-terminal.ts";

export function registerAssetCommands(program: Command): void {
  const asset = program.command("asset").description("List and materialize assets");

  asset
    .command("list")
    .description("List the assets of a code location with their upstream assets")
    .option("-f, --file <file>", "code location file (TypeScript)")
    .option("-m, --module <module>", "code location module")
    .option("--json", "print JSON only")
    .action(async (options) => {
      const definitions = await loadDefinitions(originFrom(options), { checks: PLUGIN_DEFINITION_CHECKS });
      const assets = [...definitions.assetGraph.assets.values()].map((a) => ({
        key: a.definition.key,
        group: a.definition.group,
        upstream: [...a.dependsOn],
        partitioned: a.definition.computation.partitions !== undefined,
        description: a.definition.description ?? null,
      }));
      if (options.json) process.stdout.write(`${JSON.stringify(assets, null, 2)}\n`);
      else
        for (const a of assets)
          process.stdout.write(`${a.key}\tgroup ${a.group}\t<- ${a.upstream.join(", ") || "(none)"}\n`);
    });

  const materialize = asset
    .command("materialize")
    .description("Materialize a selection of assets now, in this process; exits 0 when the run succeeds")
    .option("-f, --file <file>", "code location file (TypeScript)")
    .option("-m, --module <module>", "code location module")
    .requiredOption(
      "--select <selection>",
      'assets: "key", "prefix/key", "group:name", "+key" (with upstream), "key+" (with downstream), "*"',
    )
    .option("-c, --config <yaml>", "run config: a YAML/JSON file, or YAML/JSON text");
  tagOption(materialize, "a run tag")
    .option("--partition <key>", "partition to materialize")
    .option("-v, --verbose", "show every event")
    .option("--json", "print only the final run as JSON on stdout")
    .action(async (options) => {
      const origin = originFrom(options);
      const runConfig = parseRunConfigOption(options.config);
      const tags = parseTagOptions(options.tag);
      const definitions = await loadDefinitions(origin, { checks: PLUGIN_DEFINITION_CHECKS });
      const selection = selectAssets(definitions.assetGraph, options.select);
      await launchInTerminal({
        origin,
        definitions,
        request: {
          assetSelection: selection,
          runConfig,
          tags,
          partitionKey: options.partition ?? null,
        },
        verbose: Boolean(options.verbose),
        json: Boolean(options.json),
      });
    });
}
