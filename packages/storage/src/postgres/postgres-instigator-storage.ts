import type { SerializableFailure } from "@bosun/core";
import { type Kysely, type Selectable, sql } from "kysely";
import type {
  InstigatorKind,
  InstigatorState,
  InstigatorStatus,
  InstigatorStorage,
  NewTick,
  TickRecord,
  TickStatus,
  TickUpdate,
} from "../instigator-storage.ts";
import type { DaemonDatabase, InstigatorStatesTable, InstigatorTicksTable } from "./daemon-tables.ts";

const DEFAULT_TICK_LIMIT = 50;
const MAX_TICK_LIMIT = 1000;

/** Tick with this id does not exist. */
export class TickNotFoundError extends Error {
  constructor(readonly tickId: string) {
    super(`no tick with id ${tickId}`);
    this.name = "TickNotFoundError";
  }
}

export class PostgresInstigatorStorage implements InstigatorStorage {
  constructor(private readonly db: Kysely<DaemonDatabase>) {}

  async getState(kind: InstigatorKind, location: string, name: string): Promise<InstigatorState | null> {
    const row = await this.db
      .selectFrom("instigator_states")
      .selectAll()
      .where("kind", "=", kind)
      .where("location", "=", location)
      .where("name", "=", name)
      .executeTakeFirst();
    return row ? toState(row) : null;
  }

  async listStates(kind?: InstigatorKind): Promise<readonly InstigatorState[]> {
    let query = this.db.selectFrom("instigator_states").selectAll();
    if (kind) query = query.where("kind", "=", kind);
    const rows = await query.orderBy("kind").orderBy("location").orderBy("name").execute();
    return rows.map(toState);
  }

  async setStatus(
    kind: InstigatorKind,
    location: string,
    name: string,
    status: InstigatorStatus,
  ): Promise<InstigatorState> {
    const row = await this.db
      .insertInto("instigator_states")
      .values({ kind, location, name, status, cursor: null, last_evaluated_at: null })
      .onConflict((oc) =>
        oc.columns(["kind", "location", "name"]).doUpdateSet({
          status,
          updated_at: sql`date_trunc('milliseconds', clock_timestamp())`,
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return toState(row);
  }

  async setSensorCursor(
    location: string,
    name: string,
    cursor: string | null,
    evaluatedAt: number,
  ): Promise<void> {
    // A sensor never toggled keeps no status of its own: "RUNNING" here only fills the column of a new row
    // for a sensor the daemon evaluates, which it does only when the sensor is running.
    await this.db
      .insertInto("instigator_states")
      .values({
        kind: "sensor",
        location,
        name,
        status: "RUNNING",
        cursor,
        last_evaluated_at: new Date(evaluatedAt),
      })
      .onConflict((oc) =>
        oc.columns(["kind", "location", "name"]).doUpdateSet({
          cursor,
          last_evaluated_at: new Date(evaluatedAt),
          updated_at: sql`date_trunc('milliseconds', clock_timestamp())`,
        }),
      )
      .execute();
  }

  async claimTick(tick: NewTick): Promise<TickRecord | null> {
    const row = await this.db
      .insertInto("instigator_ticks")
      .values({
        kind: tick.kind,
        location: tick.location,
        name: tick.name,
        tick_key: tick.tickKey,
        status: "STARTED",
        timestamp: new Date(tick.timestamp),
      })
      .onConflict((oc) => oc.constraint("instigator_ticks_key_unique").doNothing())
      .returningAll()
      .executeTakeFirst();
    return row ? toTick(row) : null;
  }

  async finishTick(tickId: string, update: TickUpdate): Promise<TickRecord> {
    const row = await this.db
      .updateTable("instigator_ticks")
      .set({
        status: update.status,
        ...(update.runIds !== undefined ? { run_ids: [...update.runIds] } : {}),
        ...(update.runKeys !== undefined ? { run_keys: [...update.runKeys] } : {}),
        ...(update.skipReason !== undefined ? { skip_reason: update.skipReason } : {}),
        ...(update.error !== undefined
          ? { error: update.error === null ? null : JSON.stringify(update.error) }
          : {}),
        ...(update.cursor !== undefined ? { cursor: update.cursor } : {}),
        ended_at: sql<Date>`date_trunc('milliseconds', clock_timestamp())`,
      })
      .where("id", "=", Number(tickId))
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new TickNotFoundError(tickId);
    return toTick(row);
  }

  async listTicks(
    kind: InstigatorKind,
    location: string,
    name: string,
    options: { readonly limit?: number; readonly before?: number } = {},
  ): Promise<readonly TickRecord[]> {
    let query = this.db
      .selectFrom("instigator_ticks")
      .selectAll()
      .where("kind", "=", kind)
      .where("location", "=", location)
      .where("name", "=", name);
    if (options.before !== undefined) query = query.where("timestamp", "<", new Date(options.before));
    const limit = Math.max(1, Math.min(MAX_TICK_LIMIT, Math.floor(options.limit ?? DEFAULT_TICK_LIMIT)));
    const rows = await query.orderBy("timestamp", "desc").orderBy("id", "desc").limit(limit).execute();
    return rows.map(toTick);
  }

  async latestTick(kind: InstigatorKind, location: string, name: string): Promise<TickRecord | null> {
    return (await this.listTicks(kind, location, name, { limit: 1 }))[0] ?? null;
  }

  /** The tick with this key, whatever its status. */
  async getTickByKey(
    kind: InstigatorKind,
    location: string,
    name: string,
    tickKey: string,
  ): Promise<TickRecord | null> {
    const row = await this.db
      .selectFrom("instigator_ticks")
      .selectAll()
      .where("kind", "=", kind)
      .where("location", "=", location)
      .where("name", "=", name)
      .where("tick_key", "=", tickKey)
      .executeTakeFirst();
    return row ? toTick(row) : null;
  }
}

function toState(row: Selectable<InstigatorStatesTable>): InstigatorState {
  return {
    kind: row.kind as InstigatorKind,
    location: row.location,
    name: row.name,
    status: row.status as InstigatorStatus,
    cursor: row.cursor,
    lastEvaluatedAt: row.last_evaluated_at ? row.last_evaluated_at.getTime() : null,
    updatedAt: row.updated_at,
  };
}

function toTick(row: Selectable<InstigatorTicksTable>): TickRecord {
  return {
    tickId: String(row.id),
    kind: row.kind as InstigatorKind,
    location: row.location,
    name: row.name,
    tickKey: row.tick_key,
    status: row.status as TickStatus,
    timestamp: row.timestamp.getTime(),
    runIds: row.run_ids,
    runKeys: row.run_keys,
    skipReason: row.skip_reason,
    error: (row.error as SerializableFailure | null) ?? null,
    cursor: row.cursor,
    createdAt: row.created_at,
    endedAt: row.ended_at,
  };
}
