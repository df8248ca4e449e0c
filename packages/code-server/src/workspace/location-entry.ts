import type { SerializableFailure } from "@bosun/core";
import type { DefinitionsSnapshot } from "../code-location/snapshot.ts";

/**
 * Location lifecycle, as the webserver and daemon see it:
 * LOADING  the server is starting or its snapshot is being fetched;
 * LOADED   the snapshot is current (its server id was seen on the last poll);
 * ERROR    the code failed to load (the server's load error) or the server is unreachable (a
 *          CodeLocationUnavailableError); other locations are unaffected.
 */
export type LocationStatus = "LOADING" | "LOADED" | "ERROR";

/** One code location of a workspace as last seen: its status, code server address and snapshot. */
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
