import type { CodeLocationClient } from "../code-location/code-location-client.ts";
import type { DefinitionsSnapshot } from "../code-location/snapshot.ts";
import type { SerializableFailure } from "../errors/serializable-failure.ts";

/**
 * Location lifecycle, as the webserver and daemon see it:
 * LOADING  the server is starting or its snapshot is being fetched;
 * LOADED   the snapshot is current (its server id was seen on the last poll);
 * ERROR    the code failed to load (the server's load error) or the server is unreachable (a
 *          CodeLocationUnavailableError); other locations are unaffected.
 */
export type LocationStatus = "LOADING" | "LOADED" | "ERROR";

export interface LocationEntry {
  readonly name: string;
  readonly status: LocationStatus;
  /** `host:port` of its code server. */
  readonly address: string;
  readonly serverId: string | null;
  /** The last good snapshot (kept while a reload is in progress). */
  readonly snapshot: DefinitionsSnapshot | null;
  readonly error: SerializableFailure | null;
  readonly updatedAt: Date;
}

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
