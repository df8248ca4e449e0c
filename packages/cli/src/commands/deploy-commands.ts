import { readFile } from "node:fs/promises";
import path from "node:path";
import { LocationsFileError, parseLocationsYaml } from "@bosun/code-server";
import { DEFAULT_DEPLOYMENT, InvalidDeploymentNameError, resolveDeploymentName } from "@bosun/core";
import type { Command } from "commander";
import { CliError } from "../cli-error.ts";
import { callControlPlane, controlPlaneTarget } from "../control-plane-client.ts";
import { PLUGIN_DEFINITION_CHECKS } from "../plugins.ts";

/** The locations file `bosun deploy` reads unless `-f` names another. */
const DEFAULT_LOCATIONS_FILE = "bosun-locations.yaml";

interface StoredVersion {
  readonly deployment: string;
  readonly version: number;
  readonly locations: readonly { location_name: string; image?: string; agent_queue: string }[];
  readonly createdBy: string | null;
  readonly createdAt: string;
}

function deploymentOption(value: string | undefined): string {
  try {
    return resolveDeploymentName(value);
  } catch (error) {
    if (error instanceof InvalidDeploymentNameError)
      throw new CliError(`-d/--deployment: ${error.message}`, 2);
    throw error;
  }
}

/**
 * `bosun deploy`: sets a deployment's desired code locations from a locations file, through the
 * control plane's API (URL and user token from `--url`/`--token` or `BOSUN_URL`/`BOSUN_TOKEN`). The file
 * is checked here first, so a mistake is reported with the file's name before anything is sent; the
 * control plane checks it again. `bosun deploy history` lists the versions.
 */
export function registerDeployCommands(program: Command): void {
  const deploy = program
    .command("deploy")
    .description("Set a deployment's code locations from bosun-locations.yaml (hybrid mode)")
    .option("-d, --deployment <name>", "the deployment", DEFAULT_DEPLOYMENT)
    .option("-f, --file <path>", "the locations file", DEFAULT_LOCATIONS_FILE)
    .option("--url <url>", "the control plane (default: $BOSUN_URL)")
    .option("--token <token>", "a user token allowed locations.deploy (default: $BOSUN_TOKEN)")
    .option("--json", "print the stored version as JSON")
    .action(async (options) => {
      const deployment = deploymentOption(options.deployment);
      const target = controlPlaneTarget(options);
      const file = path.resolve(options.file);
      let text: string;
      try {
        text = await readFile(file, "utf8");
      } catch (error) {
        throw new CliError(`cannot read the locations file ${file}: ${(error as Error).message}`, 2);
      }
      let locations: Awaited<ReturnType<typeof parseLocationsYaml>>;
      try {
        locations = await parseLocationsYaml(text, PLUGIN_DEFINITION_CHECKS.containerContext ?? {});
      } catch (error) {
        if (error instanceof LocationsFileError) throw new CliError(`${file}: ${error.message}`, 2);
        throw error;
      }
      const answer = await callControlPlane<{ version: StoredVersion }>(
        target,
        "PUT",
        `/api/deployments/${encodeURIComponent(deployment)}/locations`,
        { locations },
      );
      if (options.json) {
        process.stdout.write(`${JSON.stringify(answer.version, null, 2)}\n`);
        return;
      }
      const names = answer.version.locations.map((location) => location.location_name).join(", ");
      process.stdout.write(
        `deployment ${deployment}: version ${answer.version.version} with ${answer.version.locations.length} location(s) (${names}); its agents have been asked to reconcile\n`,
      );
    });

  // The deployment, URL, token and --json are the options of `deploy` itself (commander gives them to
  // the parent command wherever they are written), so `history` reads them with the parent's.
  deploy
    .command("history")
    .description(
      "List the versions of a deployment's code locations, newest first (takes -d, --url, --token, --json)",
    )
    .option("--limit <n>", "at most this many versions", "20")
    .action(async (_local, command: Command) => {
      const options = command.optsWithGlobals();
      const deployment = deploymentOption(options.deployment);
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500)
        throw new CliError(
          `--limit ${JSON.stringify(options.limit)}: expected a whole number from 1 to 500`,
          2,
        );
      const answer = await callControlPlane<{ versions: StoredVersion[] }>(
        controlPlaneTarget(options),
        "GET",
        `/api/deployments/${encodeURIComponent(deployment)}/locations/history?limit=${limit}`,
      );
      if (options.json) {
        process.stdout.write(`${JSON.stringify(answer.versions, null, 2)}\n`);
        return;
      }
      if (answer.versions.length === 0) {
        process.stdout.write(`deployment ${deployment} has no locations yet (set them with bosun deploy)\n`);
        return;
      }
      for (const version of answer.versions)
        process.stdout.write(
          `${String(version.version).padStart(4)}  ${version.createdAt}  ${(version.createdBy ?? "-").padEnd(20)}  ${version.locations
            .map((location) => location.location_name)
            .join(", ")}\n`,
        );
    });
}
