import { summarizeDefinitions } from "@bosun/code-server";
import type { Command } from "commander";
import { describeCliError } from "../cli-error.ts";
import { locationConfigsFrom, locationOptions, openLocation } from "../location-target.ts";

/** `bosun definitions validate`: loads code locations with every definition check, as a code server would. */
export function registerDefinitionsCommands(program: Command): void {
  const definitions = program
    .command("definitions")
    .description("Check the definitions of code locations without running anything");

  locationOptions(
    definitions
      .command("validate")
      .description(
        "Load code locations with every definition check (the plugins' too); print what each defines or every problem; exit 1 on any problem",
      ),
  ).action(async (options) => {
    let failed = 0;
    for (const config of locationConfigsFrom(options)) {
      try {
        const location = await openLocation(config);
        location.close();
        const { snapshot } = location;
        process.stdout.write(`${config.name}: ${summarizeDefinitions(snapshot)}: valid\n`);
      } catch (error) {
        failed += 1;
        process.stdout.write(`${config.name}: invalid\n${describeCliError(error).replace(/^/gm, "  ")}\n`);
      }
    }
    if (failed > 0) process.exitCode = 1;
  });
}
