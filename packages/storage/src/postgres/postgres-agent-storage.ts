import { randomUUID } from "node:crypto";
import type { AgentRequestStatus, JsonValue } from "@bosun/core";
import { type Kysely, type Selectable, sql } from "kysely";
import type {
  AgentRecord,
  AgentRegistration,
  AgentRequestCompletion,
  AgentRequestRecord,
  AgentRequestUpdate,
  AgentStorage,
  ClaimAgentRequests,
  NewAgentRequest,
} from "../agent-storage.ts";
import type { Subscription } from "../subscription.ts";
import type { AgentDatabase, AgentRequestsTable, AgentsTable } from "./agent-tables.ts";
import type { NotificationListener } from "./notification-listener.ts";

/** Notified (payload: the deployment) whenever a request is enqueued. */
export const AGENT_REQUESTS_CHANNEL = "bosun_agent_requests";

const OPEN_STATUSES = ["leased", "acknowledged"] as const;

/**
 * Agents and their requests in PostgreSQL. Claims use `FOR UPDATE SKIP LOCKED`, so agents polling at
 * once never take the same request; a lease is a timestamp the holder's heartbeats push forward.
 */
export class PostgresAgentStorage implements AgentStorage {
  constructor(
    private readonly db: Kysely<AgentDatabase>,
    private readonly listener: NotificationListener,
  ) {}

  async registerAgent(registration: AgentRegistration, at: Date): Promise<AgentRecord> {
    const values = {
      label: registration.label,
      version: registration.version,
      deployments: [...registration.deployments],
      queues: [...registration.queues],
      token_name: registration.tokenName,
      last_heartbeat_at: at,
    };
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto("agents")
        .values({ id: registration.agentId, registered_at: at, status: null, ...values })
        .onConflict((conflict) => conflict.column("id").doUpdateSet({ ...values, registered_at: at }))
        .returningAll()
        .executeTakeFirstOrThrow();
      // A registration under a known id is a restart: requests handed to the old process that it never
      // acknowledged were lost with it (maybe in an answer it never read), so they go back to every
      // agent now instead of after their lease. Acknowledged ones keep their lease: the old process may
      // have acted on them, and the new one reports through the same requests.
      await trx
        .updateTable("agent_requests")
        .set({ status: "pending", agent_id: null, lease_expires_at: null, leased_at: null })
        .where("agent_id", "=", registration.agentId)
        .where("status", "=", "leased")
        .execute();
      return toAgent(row);
    });
  }

  async getAgent(agentId: string): Promise<AgentRecord | null> {
    const row = await this.db.selectFrom("agents").selectAll().where("id", "=", agentId).executeTakeFirst();
    return row ? toAgent(row) : null;
  }

  async listAgents(): Promise<readonly AgentRecord[]> {
    const rows = await this.db.selectFrom("agents").selectAll().orderBy("id").execute();
    return rows.map(toAgent);
  }

  async heartbeatAgent(
    agentId: string,
    at: Date,
    leaseMs: number,
    status: JsonValue | null,
  ): Promise<AgentRecord | null> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable("agents")
        .set({ last_heartbeat_at: at, status: status === null ? null : JSON.stringify(status) })
        .where("id", "=", agentId)
        .returningAll()
        .executeTakeFirst();
      if (!row) return null;
      await trx
        .updateTable("agent_requests")
        .set({ lease_expires_at: new Date(at.getTime() + leaseMs) })
        .where("agent_id", "=", agentId)
        .where("status", "in", OPEN_STATUSES)
        .execute();
      return toAgent(row);
    });
  }

  async enqueueRequest(request: NewAgentRequest, at: Date): Promise<AgentRequestRecord> {
    return this.db.transaction().execute((trx) => insertAgentRequest(trx, request, at));
  }

  async claimRequests(claim: ClaimAgentRequests): Promise<readonly AgentRequestRecord[]> {
    const leaseUntil = new Date(claim.at.getTime() + claim.leaseMs);
    const result = await sql<Selectable<AgentRequestsTable>>`
      WITH picked AS (
        SELECT id FROM agent_requests
        WHERE deployment = ANY(${[...claim.deployments]}::text[])
          AND queue = ANY(${[...claim.queues]}::text[])
          AND (target_agent_id IS NULL OR target_agent_id = ${claim.agentId})
          AND (status = 'pending'
               OR (status IN ('leased', 'acknowledged') AND lease_expires_at < ${claim.at}))
        ORDER BY seq
        LIMIT ${claim.max}
        FOR UPDATE SKIP LOCKED
      )
      UPDATE agent_requests AS r
      SET status = 'leased', agent_id = ${claim.agentId}, lease_expires_at = ${leaseUntil},
          leased_at = ${claim.at}, acknowledged_at = NULL, attempts = r.attempts + 1
      FROM picked WHERE r.id = picked.id
      RETURNING r.*`.execute(this.db);
    return result.rows
      .map(toRequest)
      .sort((a, b) => a.seq - b.seq)
      .map(({ seq: _seq, ...rest }) => rest);
  }

  async acknowledgeRequest(
    id: string,
    agentId: string,
    at: Date,
    leaseMs: number,
  ): Promise<AgentRequestUpdate> {
    return this.update(id, agentId, "acknowledged", async (trx) =>
      trx
        .updateTable("agent_requests")
        .set({
          status: "acknowledged",
          acknowledged_at: at,
          lease_expires_at: new Date(at.getTime() + leaseMs),
        })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
  }

  async completeRequest(
    id: string,
    agentId: string,
    completion: AgentRequestCompletion,
    at: Date,
  ): Promise<AgentRequestUpdate> {
    return this.update(id, agentId, completion.outcome, async (trx) =>
      trx
        .updateTable("agent_requests")
        .set({
          status: completion.outcome,
          finished_at: at,
          lease_expires_at: null,
          result: completion.result == null ? null : JSON.stringify(completion.result),
          error: completion.error == null ? null : JSON.stringify(completion.error),
        })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
  }

  async getRequest(id: string): Promise<AgentRequestRecord | null> {
    if (!isUuid(id)) return null;
    const row = await this.db
      .selectFrom("agent_requests")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    return row ? withoutSeq(toRequest(row)) : null;
  }

  async watchRequests(onEnqueued: () => void): Promise<Subscription> {
    // After a reconnect a notification may have been missed: the waiter looks again either way.
    const unsubscribe = await this.listener.subscribe(AGENT_REQUESTS_CHANNEL, () => onEnqueued(), onEnqueued);
    return {
      close: async () => {
        unsubscribe();
      },
    };
  }

  /**
   * The one decision behind acknowledging and completing, on the row locked: a finished request is
   * never changed again (a retried completion answers `unchanged`), and only the lease's holder moves it.
   */
  private async update(
    id: string,
    agentId: string,
    target: AgentRequestStatus,
    apply: (trx: Kysely<AgentDatabase>) => Promise<Selectable<AgentRequestsTable>>,
  ): Promise<AgentRequestUpdate> {
    if (!isUuid(id)) return { kind: "not_found" };
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom("agent_requests")
        .selectAll()
        .where("id", "=", id)
        .forUpdate()
        .executeTakeFirst();
      if (!row) return { kind: "not_found" } as const;
      const current = withoutSeq(toRequest(row));
      if (current.status === target && current.agentId === agentId)
        return { kind: "unchanged", request: current };
      if (isFinished(current.status)) return { kind: "finished", request: current };
      if (current.agentId !== agentId) return { kind: "not_holder", request: current };
      return { kind: "done", request: withoutSeq(toRequest(await apply(trx))) };
    });
  }
}

/** Inserts a pending request and notifies waiting long polls, in the caller's transaction. */
export async function insertAgentRequest(
  trx: Kysely<AgentDatabase>,
  request: NewAgentRequest,
  at: Date,
): Promise<AgentRequestRecord> {
  const row = await trx
    .insertInto("agent_requests")
    .values({
      id: randomUUID(),
      deployment: request.deployment,
      queue: request.queue,
      type: request.type,
      payload: JSON.stringify(request.payload),
      target_agent_id: request.targetAgentId ?? null,
      agent_id: null,
      lease_expires_at: null,
      result: null,
      error: null,
      created_at: at,
      leased_at: null,
      acknowledged_at: null,
      finished_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await sql`SELECT pg_notify(${AGENT_REQUESTS_CHANNEL}, ${request.deployment})`.execute(trx);
  return withoutSeq(toRequest(row));
}

function isFinished(status: AgentRequestStatus): boolean {
  return status === "completed" || status === "failed" || status === "unsupported";
}

function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}

function toAgent(row: Selectable<AgentsTable>): AgentRecord {
  return {
    agentId: row.id,
    label: row.label,
    version: row.version,
    deployments: row.deployments,
    queues: row.queues,
    tokenName: row.token_name,
    registeredAt: row.registered_at,
    lastHeartbeatAt: row.last_heartbeat_at,
    status: (row.status ?? null) as JsonValue | null,
  };
}

function toRequest(row: Selectable<AgentRequestsTable>): AgentRequestRecord & { seq: number } {
  return {
    id: row.id,
    seq: Number(row.seq),
    deployment: row.deployment,
    queue: row.queue,
    type: row.type,
    payload: row.payload as JsonValue,
    targetAgentId: row.target_agent_id,
    status: row.status as AgentRequestStatus,
    agentId: row.agent_id,
    attempts: row.attempts,
    leaseExpiresAt: row.lease_expires_at,
    result: (row.result ?? null) as JsonValue | null,
    error: (row.error ?? null) as JsonValue | null,
    createdAt: row.created_at,
    leasedAt: row.leased_at,
    acknowledgedAt: row.acknowledged_at,
    finishedAt: row.finished_at,
  };
}

function withoutSeq(record: AgentRequestRecord & { seq: number }): AgentRequestRecord {
  const { seq: _seq, ...rest } = record;
  return rest;
}
