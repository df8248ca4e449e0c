import type { LocationEntry } from "./location-entry.ts";
import type { Workspace } from "./workspace.ts";

/**
 * The workspace of a deployment whose code locations this webserver does not serve (yet): a branch
 * deployment's locations come from its locations file and agent. Its runs, schedules and sensors
 * stay readable; launching anything answers LOCATION_NOT_FOUND.
 */
export function emptyWorkspace(): Workspace {
  return {
    list: () => [],
    get: (): LocationEntry | undefined => undefined,
    client: (name) => {
      throw new Error(`no code location "${name}" in this deployment`);
    },
    reload: async (name) => {
      throw new Error(`no code location "${name}" in this deployment`);
    },
    onChange: () => () => undefined,
    close: async () => undefined,
  };
}
