import type { CodeLocationClient } from "../code-location/code-location-client.ts";
import type { LocationEntry } from "./location-entry.ts";

export type { LocationEntry, LocationStatus } from "./location-entry.ts";

/** The code locations of a `workspace.yaml`, kept current by polling each server's id. */
export interface Workspace {
  list(): readonly LocationEntry[];
  get(name: string): LocationEntry | undefined;
  /** Throws when there is no such location. */
  client(name: string): CodeLocationClient;
  /** Fetches the location's snapshot again now (restarting a local server process if it died). */
  reload(name: string): Promise<LocationEntry>;
  /** Called after any location changes status or snapshot; returns an unsubscribe function. */
  onChange(listener: (entry: LocationEntry) => void): () => void;
  close(): Promise<void>;
}
