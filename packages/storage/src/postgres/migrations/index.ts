import { initialSchema } from "./0001-initial-schema.ts";
import { daemonSchema } from "./0002-daemon.ts";
import { retentionIndexes } from "./0003-retention.ts";
import { runTagStatistics } from "./0004-run-tag-statistics.ts";
import { writeBatches } from "./0005-write-batches.ts";
import { launchClaims } from "./0006-launch-claims.ts";
import { authSchema } from "./0007-auth.ts";
import { sessionsSchema } from "./0008-sessions.ts";
import { agentsSchema } from "./0010-agents.ts";
import { deploymentsSchema } from "./0011-deployments.ts";
import { assetPartitionStatus } from "./0013-asset-partition-status.ts";
import type { Migration } from "./migration.ts";

export type { Migration } from "./migration.ts";

/** Every migration, in order. Append new ones; never edit or reorder released ones. */
export const MIGRATIONS: readonly Migration[] = [
  initialSchema,
  daemonSchema,
  retentionIndexes,
  runTagStatistics,
  writeBatches,
  launchClaims,
  authSchema,
  sessionsSchema,
  agentsSchema,
  deploymentsSchema,
  assetPartitionStatus,
];
