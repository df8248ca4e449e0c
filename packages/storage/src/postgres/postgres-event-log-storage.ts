import type { EventType, LogLevel, Metadata, NewEvent, StoredEvent } from "@bosun/core";
import { isTerminalRunStatus, RUN_STATUS_BY_EVENT, type RunStatus, TERMINAL_RUN_STATUSES } from "@bosun/core";
import { type Kysely, sql, type Transaction } from "kysely";
import type {
  AssetMaterializationRecord,
  EventLogStorage,
  EventQuery,
  Subscription,
  WriteOptions,
} from "../storage.ts";
import type { Database } from "./database.ts";
import type { NotificationListener } from "./notification-listener.ts";
import { updatePartitionStatuses } from "./partition-status-index.ts";
import { RunWatches } from "./run-watches.ts";
import { claimBatchKeyAndLockRuns } from "./write-batches.ts";

/** Channel notified (payload: the run id) when a transaction appends events of a run. */
export const RUN_EVENTS_CHANNEL = "bosun_run_events";
/** First key of the advisory lock that serialises appends to one run (second key: hash of the run id). */
const RUN_APPEND_LOCK_CLASS = 0x6576_6e74; // "evnt"
const WATCH_PAGE = 1000;
const DEFAULT_HISTORY_LIMIT = 100;
const TERMINAL = [...TERMINAL_RUN_STATUSES];

export class PostgresEventLogStorage implements EventLogStorage {
  private readonly watches: RunWatches;

  constructor(
    private readonly db: Kysely<Database>,
    listener: NotificationListener,
  ) {
    this.watches = new RunWatches(listener, RUN_EVENTS_CHANNEL);
  }

  /** Ends every open watch (storage close). */
  closeSubscriptions(): Promise<void> {
    return this.watches.closeAll();
  }

  async appendEvents(
    events: readonly NewEvent[],
    options: WriteOptions = {},
  ): Promise<readonly StoredEvent[]> {
    if (events.length === 0) return [];
    return this.db.transaction().execute((trx) => appendEventsInTransaction(trx, events, options));
  }

  async getEvents(runId: string, query: EventQuery = {}): Promise<readonly StoredEvent[]> {
    let q = this.db
      .selectFrom("event_logs")
      .select(["seq", "run_id", "type", "step_key", "level", "timestamp", "message", "data"])
      .where("run_id", "=", runId);
    if (query.afterSeq !== undefined) q = q.where("seq", ">", query.afterSeq);
    if (query.types) {
      if (query.types.length === 0) return [];
      q = q.where("type", "in", [...query.types]);
    }
    if (query.stepKey !== undefined) q = q.where("step_key", "=", query.stepKey);
    q = q.orderBy("seq", "asc");
    if (query.limit !== undefined) q = q.limit(Math.max(0, Math.floor(query.limit)));
    const rows = await q.execute();
    return rows.map(
      (row) =>
        ({
          seq: Number(row.seq),
          runId: row.run_id,
          type: row.type as EventType,
          timestamp: row.timestamp.getTime(),
          stepKey: row.step_key,
          level: row.level as LogLevel,
          message: row.message,
          data: row.data,
        }) as StoredEvent,
    );
  }

  async watchEvents(
    runId: string,
    afterSeq: number,
    onEvents: (events: readonly StoredEvent[]) => void,
  ): Promise<Subscription> {
    let cursor = afterSeq;
    return this.watches.follow(runId, async (isClosed) => {
      const events = await this.getEvents(runId, { afterSeq: cursor, limit: WATCH_PAGE });
      if (events.length === 0 || isClosed()) return false;
      cursor = events.at(-1)!.seq;
      deliver(onEvents, events);
      return events.length === WATCH_PAGE;
    });
  }

  async latestMaterializations(
    assetKeys?: readonly string[],
    options: { readonly byPartition?: boolean } = {},
  ): Promise<readonly AssetMaterializationRecord[]> {
    if (assetKeys && assetKeys.length === 0) return [];
    let q = this.db.selectFrom("asset_latest_materializations").selectAll();
    if (assetKeys) q = q.where("asset_key", "in", [...assetKeys]);
    const rows = options.byPartition
      ? await q.orderBy("asset_key").orderBy(sql`partition_key NULLS FIRST`).execute()
      : await q.distinctOn("asset_key").orderBy("asset_key").orderBy("seq", "desc").execute();
    return rows.map((row) => ({
      assetKey: row.asset_key,
      partitionKey: row.partition_key,
      runId: row.run_id,
      seq: Number(row.seq),
      timestamp: row.timestamp.getTime(),
      metadata: row.metadata as Metadata,
    }));
  }

  async materializationHistory(
    assetKey: string,
    options: { readonly partitionKey?: string; readonly limit?: number } = {},
  ): Promise<readonly AssetMaterializationRecord[]> {
    let q = this.db
      .selectFrom("event_logs")
      .select(["seq", "run_id", "timestamp", "data", "partition_key"])
      .where("asset_key", "=", assetKey)
      .where("type", "=", "ASSET_MATERIALIZATION");
    if (options.partitionKey !== undefined) q = q.where("partition_key", "=", options.partitionKey);
    const rows = await q
      .orderBy("seq", "desc")
      .limit(options.limit ?? DEFAULT_HISTORY_LIMIT)
      .execute();
    return rows.map((row) => ({
      assetKey,
      partitionKey: row.partition_key,
      runId: row.run_id,
      seq: Number(row.seq),
      timestamp: row.timestamp.getTime(),
      metadata: ((row.data as { metadata?: Metadata }).metadata ?? {}) as Metadata,
    }));
  }
}

/** A subscriber that throws must not stop delivery to itself or to others. */
function deliver(onEvents: (events: readonly StoredEvent[]) => void, events: readonly StoredEvent[]): void {
  try {
    onEvents(events);
  } catch (error) {
    process.emitWarning(`an event subscriber threw: ${String(error)}`, "BosunWatchWarning");
  }
}

interface EventColumns {
  runId: string[];
  type: string[];
  stepKey: (string | null)[];
  level: string[];
  timestamp: number[];
  message: string[];
  data: string[];
  assetKey: (string | null)[];
  partitionKey: (string | null)[];
}

/** Column arrays for one `unnest` insert: one statement whatever the batch size. */
function toColumns(events: readonly NewEvent[]): EventColumns {
  const columns: EventColumns = {
    runId: [],
    type: [],
    stepKey: [],
    level: [],
    timestamp: [],
    message: [],
    data: [],
    assetKey: [],
    partitionKey: [],
  };
  for (const event of events) {
    columns.runId.push(event.runId);
    columns.type.push(event.type);
    columns.stepKey.push(event.stepKey);
    columns.level.push(event.level);
    columns.timestamp.push(event.timestamp);
    columns.message.push(withoutNul(event.message));
    columns.data.push(jsonText(event.data));
    const materialization = event.type === "ASSET_MATERIALIZATION" ? event.data : null;
    columns.assetKey.push(materialization?.assetKey ?? null);
    columns.partitionKey.push(materialization?.partitionKey ?? null);
  }
  return columns;
}

/** PostgreSQL text and jsonb cannot hold U+0000; it becomes U+FFFD. */
function withoutNul(text: string): string {
  return text.includes("\0") ? text.replaceAll("\0", "\uFFFD") : text;
}

function jsonText(value: unknown): string {
  const text = JSON.stringify(value ?? {});
  if (!text.includes("\\u0000")) return text;
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "string" ? withoutNul(v) : v));
}

interface RunStatusChange {
  status: RunStatus;
  startTime: Date | null;
  endTime: Date | null;
}

/**
 * One UPDATE per run whose status the batch moves. Within the batch, the first terminal event wins; in
 * the database, a run already in a terminal status is never touched (the WHERE clause), so a late
 * RUN_FAILURE cannot overwrite a RUN_SUCCESS written by another process.
 */
async function updateRunStatuses(trx: Kysely<Database>, events: readonly NewEvent[]): Promise<void> {
  const changes = new Map<string, RunStatusChange>();
  for (const event of events) {
    const status = RUN_STATUS_BY_EVENT[event.type];
    if (!status) continue;
    const change = changes.get(event.runId);
    if (change && isTerminalRunStatus(change.status)) continue;
    const next: RunStatusChange = change ?? { status, startTime: null, endTime: null };
    next.status = status;
    if (event.type === "RUN_START" && !next.startTime) next.startTime = new Date(event.timestamp);
    if (isTerminalRunStatus(status)) next.endTime = new Date(event.timestamp);
    changes.set(event.runId, next);
  }
  for (const [runId, change] of changes) {
    await trx
      .updateTable("runs")
      .set({
        status: change.status,
        updated_at: sql`date_trunc('milliseconds', clock_timestamp())`,
        start_time: change.startTime ? sql`coalesce(start_time, ${change.startTime})` : sql`start_time`,
        end_time: change.endTime ?? sql`end_time`,
      })
      .where("id", "=", runId)
      .where("status", "not in", TERMINAL)
      .execute();
  }
}

/** Upserts the latest materialization per (asset, partition), keeping the one with the highest seq. */
async function updateAssetIndex(
  trx: Kysely<Database>,
  events: readonly NewEvent[],
  seqs: readonly number[],
): Promise<void> {
  // Last in the batch wins; one row per key, as ON CONFLICT cannot touch a row twice in one statement.
  const latest = new Map<
    string,
    { event: Extract<NewEvent, { type: "ASSET_MATERIALIZATION" }>; seq: number }
  >();
  events.forEach((event, index) => {
    if (event.type !== "ASSET_MATERIALIZATION") return;
    latest.set(JSON.stringify([event.data.assetKey, event.data.partitionKey]), { event, seq: seqs[index]! });
  });
  if (latest.size === 0) return;
  const rows = [...latest.values()];
  await sql`
    INSERT INTO asset_latest_materializations (asset_key, partition_key, run_id, seq, timestamp, metadata)
    SELECT m.asset_key, m.partition_key, m.run_id, m.seq, to_timestamp(m.ts / 1000.0), m.metadata::jsonb
    FROM unnest(${rows.map((r) => r.event.data.assetKey)}::text[],
                ${rows.map((r) => r.event.data.partitionKey ?? null)}::text[],
                ${rows.map((r) => r.event.runId)}::text[], ${rows.map((r) => r.seq)}::bigint[],
                ${rows.map((r) => r.event.timestamp)}::float8[],
                ${rows.map((r) => jsonText(r.event.data.metadata ?? {}))}::text[])
         AS m(asset_key, partition_key, run_id, seq, ts, metadata)
    ON CONFLICT ON CONSTRAINT asset_latest_key_partition_unique DO UPDATE
      SET run_id = excluded.run_id, seq = excluded.seq, timestamp = excluded.timestamp, metadata = excluded.metadata
      WHERE asset_latest_materializations.seq < excluded.seq`.execute(trx);
}

/**
 * Appends events inside the caller's transaction (so a run and its first event can commit together).
 * Locks, in this order, the runs' rows and then their per-run append locks: every writer that needs
 * both (the run queue's admission too) takes them in this order, so they cannot deadlock.
 */
export async function appendEventsInTransaction(
  trx: Transaction<Database>,
  events: readonly NewEvent[],
  options: WriteOptions = {},
): Promise<readonly StoredEvent[]> {
  if (events.length === 0) return [];
  const runIds = [...new Set(events.map((event) => event.runId))].sort();
  const columns = toColumns(events);
  if (options.batchKey === undefined) {
    await sql`SELECT id FROM runs WHERE id = ANY(${runIds}::text[]) ORDER BY id FOR UPDATE`.execute(trx);
  } else if (!(await claimBatchKeyAndLockRuns(trx, options.batchKey, events[0]!.runId, runIds))) {
    // Stored by an earlier attempt whose answer was lost.
    return [];
  }
  // Appends to one run are serialised, and take their seqs only once they hold the lock: within a run,
  // seq order is commit order, so a reader that has seen seq N has seen every earlier event of the
  // run (no gaps for cursor-based readers). The notification is queued now and delivered at commit.
  await sql`
    SELECT pg_advisory_xact_lock(${RUN_APPEND_LOCK_CLASS}::int, hashtext(r.id)), pg_notify(${RUN_EVENTS_CHANNEL}, r.id)
    FROM unnest(${runIds}::text[]) WITH ORDINALITY AS r(id, ord) ORDER BY r.ord`.execute(trx);
  const inserted = await sql<{ seq: number }>`
    INSERT INTO event_logs (run_id, type, step_key, level, timestamp, message, data, asset_key, partition_key)
    SELECT e.run_id, e.type, e.step_key, e.level, to_timestamp(e.ts / 1000.0), e.message, e.data::jsonb,
           e.asset_key, e.partition_key
    FROM unnest(${columns.runId}::text[], ${columns.type}::text[], ${columns.stepKey}::text[],
                ${columns.level}::text[], ${columns.timestamp}::float8[], ${columns.message}::text[],
                ${columns.data}::text[], ${columns.assetKey}::text[], ${columns.partitionKey}::text[])
         WITH ORDINALITY AS e(run_id, type, step_key, level, ts, message, data, asset_key, partition_key, ord)
    ORDER BY e.ord
    RETURNING seq`.execute(trx);
  // Rows get their seqs in the ORDER BY order, so ascending seqs line up with the batch.
  const seqs = inserted.rows.map((row) => Number(row.seq)).sort((a, b) => a - b);
  await updateRunStatuses(trx, events);
  await updateAssetIndex(trx, events, seqs);
  await updatePartitionStatuses(trx, events, seqs);
  return events.map((event, index) => ({ ...event, seq: seqs[index]! }) as StoredEvent);
}
