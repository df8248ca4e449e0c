import {
  IN_PROGRESS_RUN_STATUSES,
  type LogLevel,
  type NewEvent,
  type NewRun,
  type RunRecord,
} from "@bosun/core";
import { type Kysely, sql, type Transaction } from "kysely";
import { FIRST_LAUNCH_ATTEMPT } from "../launch-storage.ts";
import {
  type AdmissionPolicy,
  type CreateRunOnceResult,
  MAX_RETRIES_TAG,
  type QueuedRunView,
  RETRY_NUMBER_TAG,
  type RunQueueStorage,
} from "../run-queue-storage.ts";
import type { Subscription } from "../storage.ts";
import type { DaemonDatabase } from "./daemon-tables.ts";
import type { Database } from "./database.ts";
import { insertRun } from "./insert-run.ts";
import type { NotificationListener } from "./notification-listener.ts";
import { appendEventsInTransaction } from "./postgres-event-log-storage.ts";
import type { PostgresRunStorage } from "./postgres-run-storage.ts";

/** Channel notified (by a trigger, see migration 0002) when a run is queued or frees a queue slot. */
export const RUN_QUEUE_CHANNEL = "bosun_run_queue";
/** Advisory lock serialising admissions across every run coordinator of the database. */
const QUEUE_LOCK_KEY = 0x7175_6575; // "queu"
const DEFAULT_SCAN_LIMIT = 500;
const INT_PATTERN = String.raw`^\s*[-+]?[0-9]{1,9}\s*$`;

type Db = Kysely<DaemonDatabase>;

export class PostgresRunQueueStorage implements RunQueueStorage {
  constructor(
    private readonly db: Db,
    private readonly runs: PostgresRunStorage,
    private readonly listener: NotificationListener,
  ) {}

  async createRunOnce(run: NewRun, idempotencyKey: string): Promise<CreateRunOnceResult> {
    for (let attempt = 0; ; attempt++) {
      const inserted = await insertRun(this.db as unknown as Kysely<Database>, run, idempotencyKey);
      if (inserted) {
        const created = await this.runs.getRun(inserted);
        if (created) return { run: created, created: true };
      }
      const existing = await this.getRunByIdempotencyKey(idempotencyKey);
      if (existing) return { run: existing, created: false };
      // The conflicting row was deleted in between: try again.
      if (attempt >= 3)
        throw new Error(`could not create or find the run with idempotency key ${idempotencyKey}`);
    }
  }

  async getRunByIdempotencyKey(idempotencyKey: string): Promise<RunRecord | null> {
    const row = await this.db
      .selectFrom("runs")
      .select("id")
      .where("idempotency_key", "=", idempotencyKey)
      .executeTakeFirst();
    return row ? this.runs.getRun(row.id) : null;
  }

  async claimQueuedRuns(
    policy: AdmissionPolicy,
    options: { readonly scanLimit?: number; readonly launchOwner: string },
  ): Promise<readonly RunRecord[]> {
    const scanLimit = Math.max(1, Math.floor(options.scanLimit ?? DEFAULT_SCAN_LIMIT));
    const claimed = await this.db.transaction().execute(async (trx) => {
      // One admission at a time in the whole database: the counts read below stay true until commit.
      await sql`SELECT pg_advisory_xact_lock(${QUEUE_LOCK_KEY})`.execute(trx);
      const inProgress = await trx
        .selectFrom("runs")
        .select(["id", "tags", "code_location", "priority", "created_at"])
        .where("status", "in", [...IN_PROGRESS_RUN_STATUSES])
        .execute();
      // Rows locked by someone else (a termination in progress) are left for the next round.
      const queued = await trx
        .selectFrom("runs")
        .select(["id", "tags", "code_location", "priority", "created_at"])
        .where("status", "=", "QUEUED")
        .orderBy("priority", "desc")
        .orderBy("created_at", "asc")
        .orderBy("id", "asc")
        .limit(scanLimit)
        .forUpdate()
        .skipLocked()
        .execute();
      if (queued.length === 0) return [];
      const queuedIds = new Set(queued.map((row) => row.id));
      const chosen = [
        ...new Set(policy({ inProgress: inProgress.map(toView), queued: queued.map(toView) })),
      ].filter((id) => queuedIds.has(id));
      if (chosen.length === 0) return [];
      await trx
        .updateTable("runs")
        .set({
          status: "STARTING",
          updated_at: sql`date_trunc('milliseconds', clock_timestamp())`,
          // The launch intent commits with the admission: a daemon that dies before launching leaves it
          // for another to take over (launch-storage.ts).
          launch_attempt: FIRST_LAUNCH_ATTEMPT,
          launch_owner: options.launchOwner,
          launch_state: "ADMITTED",
        })
        .where("id", "in", chosen)
        .execute();
      await insertRunEvents(
        trx,
        chosen.map((runId) => ({
          runId,
          type: "RUN_STARTING",
          level: "info",
          message: "Run admitted by the run coordinator; launching its worker.",
          data: {},
        })),
      );
      return chosen;
    });
    if (claimed.length === 0) return [];
    const page = await this.runs.listRuns({ runIds: claimed }, { limit: claimed.length });
    const byId = new Map(page.runs.map((run) => [run.runId, run]));
    return claimed.flatMap((id) => byId.get(id) ?? []);
  }

  async cancelUnstartedRun(runId: string, reason: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom("runs")
        .select("status")
        .where("id", "=", runId)
        .forUpdate()
        .executeTakeFirst();
      if (!row || (row.status !== "QUEUED" && row.status !== "NOT_STARTED")) return false;
      const now = new Date();
      await trx
        .updateTable("runs")
        .set({
          status: "CANCELED",
          end_time: now,
          updated_at: sql`date_trunc('milliseconds', clock_timestamp())`,
        })
        .where("id", "=", runId)
        .execute();
      await insertRunEvents(trx, [
        { runId, type: "RUN_CANCELED", level: "info", message: `Run canceled: ${reason}`, data: { reason } },
      ]);
      return true;
    });
  }

  async watchQueue(onChange: () => void): Promise<Subscription> {
    const unsubscribe = await this.listener.subscribe(RUN_QUEUE_CHANNEL, onChange, onChange);
    return {
      close: async () => {
        unsubscribe();
      },
    };
  }

  async failedRunsToRetry(limit: number): Promise<readonly RunRecord[]> {
    const asInt = (tag: string) =>
      sql<number>`CASE WHEN (runs.tags ->> ${tag}) ~ ${INT_PATTERN} THEN (runs.tags ->> ${tag})::integer END`;
    const rows = await this.db
      .selectFrom("runs")
      .select("id")
      .where("status", "=", "FAILURE")
      .where(sql<boolean>`tags ? ${MAX_RETRIES_TAG}`)
      .where(sql<boolean>`coalesce(${asInt(RETRY_NUMBER_TAG)}, 0) < coalesce(${asInt(MAX_RETRIES_TAG)}, 0)`)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("runs as retry")
              .select(sql`1`.as("one"))
              .where(sql<boolean>`retry.idempotency_key = 'retry/' || runs.id`),
          ),
        ),
      )
      .orderBy("end_time", "asc")
      .orderBy("id", "asc")
      .limit(Math.max(1, Math.floor(limit)))
      .execute();
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    const page = await this.runs.listRuns({ runIds: ids }, { limit: ids.length });
    const byId = new Map(page.runs.map((run) => [run.runId, run]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }
}

function toView(row: {
  id: string;
  tags: Record<string, string>;
  code_location: string | null;
  priority: number;
  created_at: Date;
}): QueuedRunView {
  return {
    runId: row.id,
    tags: row.tags,
    codeLocation: row.code_location,
    priority: Number(row.priority),
    createdAt: row.created_at,
  };
}

/** Run-level events inside the caller's transaction, through the event log's own append path. */
function insertRunEvents(
  trx: Transaction<DaemonDatabase>,
  events: readonly {
    runId: string;
    type: "RUN_STARTING" | "RUN_CANCELED";
    level: LogLevel;
    message: string;
    data: Record<string, string>;
  }[],
): Promise<unknown> {
  const now = Date.now();
  return appendEventsInTransaction(
    trx as unknown as Transaction<Database>,
    events.map((e) => ({ ...e, timestamp: now, stepKey: null }) as NewEvent),
  );
}
