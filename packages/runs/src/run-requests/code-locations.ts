import {
  buildDefinitionsSnapshot,
  type CodeLocationClient,
  type DefinitionsSnapshot,
  LoadedCodeLocation,
  type Workspace,
} from "@bosun/code-server";
import type { CodeOrigin } from "@bosun/engine";
import type { Definitions } from "bosun";

/** A run's code location as the run-request service sees it. */
export interface RunCodeLocation {
  /** What the run stores as its `codeLocation` (null: a run executed by the CLI, outside any workspace). */
  readonly name: string | null;
  /** Judges requests: the execution plan is the only validation of job, config, steps and partition. */
  readonly client: CodeLocationClient;
  /** Job and asset names (to suggest the nearest when one is missing) and job tags. */
  readonly snapshot: DefinitionsSnapshot;
}

/**
 * Where the service finds a run's code location: the workspace of the webserver or daemon, or the one
 * location the CLI loaded in its own process. Both answer through `CodeLocationClient`, so a launch is
 * validated the same way whichever process makes it.
 */
export interface RunCodeLocations {
  /**
   * The location a run stored with `codeLocation` belongs to; null when this process cannot reach it (a
   * workspace asked for a run that has no location). Throws when there is no such location, and
   * `CodeLocationUnavailableError` when it has no snapshot yet.
   */
  resolve(codeLocation: string | null): RunCodeLocation | null;
}

/** The webserver's and daemon's locations: each one's gRPC client and its last good snapshot. */
export function workspaceLocations(workspace: Pick<Workspace, "get" | "client">): RunCodeLocations {
  return {
    resolve(codeLocation) {
      if (codeLocation === null) return null;
      const client = workspace.client(codeLocation);
      const snapshot = workspace.get(codeLocation)?.snapshot;
      if (!snapshot) throw new CodeLocationNotLoadedError(codeLocation);
      return { name: codeLocation, client, snapshot };
    },
  };
}

/**
 * The CLI's location: definitions loaded in this process, answering as a `LoadedCodeLocation`. Whatever
 * location a run names, it is judged by these definitions (`bosun run reexecute -f` re-executes a
 * webserver's run with the code given on the command line); new runs are stored without a location.
 */
export function inProcessLocation(definitions: Definitions, origin: CodeOrigin): RunCodeLocations {
  const snapshot = buildDefinitionsSnapshot(definitions, { origin });
  const client = new LoadedCodeLocation({ ok: true, definitions, snapshot });
  return { resolve: (codeLocation) => ({ name: codeLocation, client, snapshot }) };
}

/** A workspace location whose code has not been loaded (still starting, or failed before its first snapshot). */
export class CodeLocationNotLoadedError extends Error {
  constructor(readonly location: string) {
    super(`code location "${location}" has not loaded its definitions`);
    this.name = "CodeLocationNotLoadedError";
  }
}
