import { type Kysely, sql } from "kysely";
import type {
  ComputeLogChunk,
  ComputeLogStorage,
  LogStream,
  Subscription,
  WriteOptions,
} from "../storage.ts";
import type { Database } from "./database.ts";
import type { NotificationListener } from "./notification-listener.ts";
import { RunWatches } from "./run-watches.ts";
import { claimBatchKey } from "./write-batches.ts";

/** Channel notified (payload: the run id) when compute logs of a run are appended. */
export const COMPUTE_LOGS_CHANNEL = "bosun_compute_logs";
/** One read returns whole chunks up to about this many bytes; `nextOffset` continues from there. */
const MAX_READ_BYTES = 4 * 1024 * 1024;

/**
 * Compute logs as chunks keyed by their byte offset in the stream. An append reserves its offset by
 * bumping the stream's size under that row's lock, so concurrent appends to one stream get disjoint,
 * gap-free ranges and commit in offset order.
 */
export class PostgresComputeLogStorage implements ComputeLogStorage {
  private readonly watches: RunWatches;

  constructor(
    private readonly db: Kysely<Database>,
    listener: NotificationListener,
  ) {
    this.watches = new RunWatches(listener, COMPUTE_LOGS_CHANNEL);
  }

  /** Ends every open watch (storage close). */
  closeSubscriptions(): Promise<void> {
    return this.watches.closeAll();
  }

  async append(
    runId: string,
    stepKey: string,
    stream: LogStream,
    data: string,
    options: WriteOptions = {},
  ): Promise<void> {
    const bytes = Buffer.from(data, "utf8");
    if (bytes.length === 0) return;
    const { batchKey } = options;
    if (batchKey === undefined) return this.appendChunk(this.db, runId, stepKey, stream, bytes);
    await this.db.transaction().execute(async (trx) => {
      if (await claimBatchKey(trx, batchKey, runId))
        await this.appendChunk(trx, runId, stepKey, stream, bytes);
    });
  }

  private async appendChunk(
    db: Kysely<Database>,
    runId: string,
    stepKey: string,
    stream: LogStream,
    bytes: Buffer,
  ): Promise<void> {
    // One statement: reserve, store, notify (delivered at commit).
    await sql`
      WITH reserved AS (
        INSERT INTO compute_log_streams (run_id, step_key, stream, size)
        VALUES (${runId}, ${stepKey}, ${stream}, ${bytes.length})
        ON CONFLICT (run_id, step_key, stream) DO UPDATE SET size = compute_log_streams.size + excluded.size
        RETURNING size
      )
      INSERT INTO compute_log_chunks (run_id, step_key, stream, byte_offset, data)
      SELECT ${runId}, ${stepKey}, ${stream}, reserved.size - ${bytes.length}, ${bytes}
      FROM reserved, pg_notify(${COMPUTE_LOGS_CHANNEL}, ${runId})`.execute(db);
  }

  async read(runId: string, stepKey: string, stream: LogStream, fromOffset = 0): Promise<ComputeLogChunk> {
    const start = Math.max(0, Math.floor(fromOffset));
    const rows = await sql<{ byte_offset: number; data: Buffer }>`
      SELECT byte_offset, data FROM compute_log_chunks
      WHERE run_id = ${runId} AND step_key = ${stepKey} AND stream = ${stream}
        AND byte_offset + length(data) > ${start}
      ORDER BY byte_offset`.execute(this.db);
    const parts: Buffer[] = [];
    let size = 0;
    let end = start;
    for (const row of rows.rows) {
      const offset = Number(row.byte_offset);
      const skip = Math.max(0, start - offset);
      parts.push(skip > 0 ? row.data.subarray(skip) : row.data);
      size += row.data.length - skip;
      end = offset + row.data.length;
      if (size >= MAX_READ_BYTES) break;
    }
    let bytes = Buffer.concat(parts);
    // An offset inside a multi-byte character: start at the next character.
    let lead = 0;
    while (lead < bytes.length && (bytes[lead]! & 0xc0) === 0x80) lead++;
    if (lead > 0) bytes = bytes.subarray(lead);
    return { data: bytes.toString("utf8"), nextOffset: end };
  }

  async watch(
    runId: string,
    stepKey: string,
    stream: LogStream,
    fromOffset: number,
    onData: (chunk: ComputeLogChunk) => void,
  ): Promise<Subscription> {
    let offset = fromOffset;
    return this.watches.follow(runId, async (isClosed) => {
      const chunk = await this.read(runId, stepKey, stream, offset);
      if (chunk.nextOffset <= offset || isClosed()) return false;
      const more = chunk.nextOffset - offset >= MAX_READ_BYTES;
      offset = chunk.nextOffset;
      try {
        onData(chunk);
      } catch (error) {
        process.emitWarning(`a compute log subscriber threw: ${String(error)}`, "BosunWatchWarning");
      }
      return more;
    });
  }

  async stepKeysWithLogs(runId: string): Promise<readonly string[]> {
    const rows = await this.db
      .selectFrom("compute_log_streams")
      .select("step_key")
      .distinct()
      .where("run_id", "=", runId)
      .orderBy("step_key")
      .execute();
    return rows.map((row) => row.step_key);
  }

  async size(runId: string, stepKey: string, stream: LogStream): Promise<number> {
    const row = await this.db
      .selectFrom("compute_log_streams")
      .select("size")
      .where("run_id", "=", runId)
      .where("step_key", "=", stepKey)
      .where("stream", "=", stream)
      .executeTakeFirst();
    return row ? Number(row.size) : 0;
  }
}
