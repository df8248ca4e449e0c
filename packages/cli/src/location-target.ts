import {
  createGrpcCodeLocationClient,
  loadWorkspaceConfig,
  locationNameFromModule,
  singleFileWorkspace,
  UnknownLocationError,
  type WorkspaceLocationConfig,
} from "@bosun/code-server";
import { formatFailure } from "@bosun/core";
import { type CodeOrigin, loadDefinitions } from "@bosun/engine";
import { inProcessLocation, type RunCodeLocation, type RunCodeLocations } from "@bosun/runs";
import type { Definitions } from "bosun";
import type { Command } from "commander";
import { CliError } from "./cli-error.ts";
import { PLUGIN_DEFINITION_CHECKS } from "./plugins.ts";

/**
 * Where the commands that talk about a workspace's code locations (`job launch`, `schedule ...`,
 * `sensor ...`, `definitions validate`) find them: one file, one module, or a workspace file, and
 * optionally one location by name.
 */
export interface LocationOptions {
  readonly workspace?: string;
  readonly file?: string;
  readonly module?: string;
  readonly location?: string;
}

/** Declares `-w`, `-f`, `-m` and `-l` on a command, with the same help everywhere. */
export function locationOptions(command: Command): Command {
  return command
    .option("-w, --workspace <file>", "workspace.yaml listing the code locations (default ./workspace.yaml)")
    .option("-f, --file <file>", "a single code location file (TypeScript)")
    .option("-m, --module <module>", "a code location module")
    .option(
      "-l, --location <name>",
      "the code location, by name (needed when the workspace has several; names -f's or -m's location)",
    );
}

/**
 * The locations the options name, as `bosun dev` and `bosun daemon run` name them (so a run launched here
 * carries the location name the daemon knows): `-f` a file's location, `-m` a module's, else the
 * workspace file's (`-w`, default ./workspace.yaml). With `-l`, only that location.
 */
export function locationConfigsFrom(options: LocationOptions): readonly WorkspaceLocationConfig[] {
  const sources = [options.workspace, options.file, options.module].filter((given) => given !== undefined);
  if (sources.length > 1) throw new CliError("give only one of -w/--workspace, -f/--file and -m/--module", 2);
  if (options.file) return singleFileWorkspace(options.file, options.location).locations;
  if (options.module) {
    return [
      {
        kind: "module",
        name: options.location ?? locationNameFromModule(options.module),
        module: options.module,
        workingDirectory: process.cwd(),
      },
    ];
  }
  const all = loadWorkspaceConfig(options.workspace ?? "workspace.yaml").locations;
  if (options.location === undefined) return all;
  const named = all.find((location) => location.name === options.location);
  if (!named)
    throw new UnknownLocationError(
      options.location,
      all.map((location) => location.name),
    );
  return [named];
}

/** The one location the options name: `-l`, or the only location there is. */
export function oneLocationConfigFrom(options: LocationOptions): WorkspaceLocationConfig {
  const locations = locationConfigsFrom(options);
  if (locations.length === 1) return locations[0]!;
  throw new CliError(
    `the workspace has ${locations.length} code locations (${locations.map((l) => l.name).join(", ")}): choose one with -l/--location`,
    2,
  );
}

/** A code location opened by this process, ready for `RunRequests`, previews and listings. */
export interface OpenedLocation extends RunCodeLocation {
  readonly name: string;
  /** The definitions, when this process loaded the code (a file or module location). */
  readonly definitions: Definitions | null;
  /** Closes the connection to a remote code server; nothing for code loaded here. */
  close(): void;
}

/**
 * Opens a location: a file or module is loaded in this process with every definition check (the
 * plugins' too), a `grpc_server` location is asked for its snapshot. Code that fails to load is one
 * error naming the location.
 */
export async function openLocation(config: WorkspaceLocationConfig): Promise<OpenedLocation> {
  if (config.kind === "grpc_server") {
    const client = createGrpcCodeLocationClient({
      location: config.name,
      address: `${config.host}:${config.port}`,
    });
    try {
      const answer = await client.snapshot();
      if ("loadError" in answer)
        throw new CliError(
          `code location "${config.name}" failed to load:\n${formatFailure(answer.loadError)}`,
        );
      return {
        name: config.name,
        client,
        snapshot: answer.snapshot,
        definitions: null,
        close: () => client.close(),
      };
    } catch (error) {
      client.close();
      throw error;
    }
  }
  const origin: CodeOrigin =
    config.kind === "typescript_file" ? { file: config.file } : { module: config.module };
  const definitions = await loadDefinitions(origin, { checks: PLUGIN_DEFINITION_CHECKS });
  const location = inProcessLocation(definitions, origin).resolve(config.name)!;
  return { ...location, name: config.name, definitions, close: () => undefined };
}

/** The run-request service's view of one opened location: every run it creates names that location. */
export function onlyLocation(location: OpenedLocation): RunCodeLocations {
  return {
    resolve(codeLocation) {
      if (codeLocation === location.name) return location;
      throw new UnknownLocationError(codeLocation ?? "(none)", [location.name]);
    },
  };
}
