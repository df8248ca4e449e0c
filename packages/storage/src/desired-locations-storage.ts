import type { JsonValue } from "@bosun/core";
import type { NewAgentRequest } from "./agent-storage.ts";

/** One version of a deployment's desired code locations (what `bosun deploy` sets). */
export interface DesiredLocationsVersion {
  readonly deployment: string;
  /** 1, 2, ... per deployment. */
  readonly version: number;
  /** The validated locations, as the locations file gave them (snake case). */
  readonly locations: JsonValue;
  readonly createdBy: string | null;
  readonly createdAt: Date;
}

/** What setting the locations takes. */
export interface SetDesiredLocations {
  readonly deployment: string;
  readonly locations: JsonValue;
  readonly createdBy: string | null;
  readonly at: Date;
  /**
   * Built from the new version and enqueued in the same transaction (the agents' reconcile requests), so
   * a version is never stored without its requests nor a request sent for a version that was not stored.
   */
  readonly requests?: (version: number) => readonly NewAgentRequest[];
}

/** Each deployment's desired code locations, versioned: every change is a new version, none is lost. */
export interface DesiredLocationsStorage {
  /** Stores the next version. Concurrent calls get distinct versions. */
  setDesiredLocations(change: SetDesiredLocations): Promise<DesiredLocationsVersion>;
  /** The latest version; null when none was ever set. */
  getDesiredLocations(deployment: string): Promise<DesiredLocationsVersion | null>;
  /** Newest first. */
  listDesiredLocations(deployment: string, limit: number): Promise<readonly DesiredLocationsVersion[]>;
}
