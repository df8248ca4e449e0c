import {
  AGENT_REQUEST_OUTCOMES,
  type AgentRequestOutcome,
  DEFAULT_AGENT_QUEUE,
  type JsonValue,
  type LaunchRunPayload,
} from "@bosun/core";
import type { AgentRecord, AgentRequestRecord, AgentRequestUpdate } from "@bosun/storage";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { deploymentFromRequest } from "../agent/deployment-param.ts";
import { pollForRequests } from "../agent/long-poll.ts";
import { mintRunToken } from "../agent/run-token.ts";
import { ApiError } from "../api/api-error.ts";
import { keySchema, nameSchema } from "../api/schemas.ts";
import type { WebserverContext } from "../server/webserver-context.ts";

/**
 * The agent API (`/api/agent/v1`, agent tokens only): agents register, long-poll for requests,
 * acknowledge and complete them by id (idempotently), and heartbeat (which renews their leases). See
 * docs/hybrid.md for the protocol.
 */

const agentIdSchema = { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$" } as const;
const agentParams = {
  type: "object",
  required: ["agentId"],
  additionalProperties: false,
  properties: { agentId: agentIdSchema },
} as const;
const requestParams = {
  type: "object",
  required: ["agentId", "requestId"],
  additionalProperties: false,
  properties: { agentId: agentIdSchema, requestId: keySchema },
} as const;
const anyObject = { type: "object", additionalProperties: true } as const;

const agentSchema = {
  type: "object",
  properties: {
    agentId: { type: "string" },
    label: { type: "string" },
    version: { type: "string" },
    deployments: { type: "array", items: { type: "string" } },
    queues: { type: "array", items: { type: "string" } },
    tokenName: { type: "string" },
    registeredAt: { type: "string", format: "date-time" },
    lastHeartbeatAt: { type: "string", format: "date-time" },
    status: {},
  },
} as const;

const requestSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    type: { type: "string" },
    deployment: { type: "string" },
    queue: { type: "string" },
    payload: {},
    status: { type: "string" },
    agentId: { type: ["string", "null"] },
    attempts: { type: "integer" },
    leaseExpiresAt: { type: ["string", "null"], format: "date-time" },
    result: {},
    error: {},
    runToken: { type: "string", description: "launch_run only: the run token its workers report with" },
  },
} as const;

interface RegisterBody {
  label: string;
  version: string;
  deployments?: string[];
  queues?: string[];
}

function agentView(agent: AgentRecord) {
  return {
    ...agent,
    registeredAt: agent.registeredAt.toISOString(),
    lastHeartbeatAt: agent.lastHeartbeatAt.toISOString(),
  };
}

function requestView(request: AgentRequestRecord, extra: { runToken?: string } = {}) {
  return {
    id: request.id,
    type: request.type,
    deployment: request.deployment,
    queue: request.queue,
    payload: request.payload,
    status: request.status,
    agentId: request.agentId,
    attempts: request.attempts,
    leaseExpiresAt: request.leaseExpiresAt?.toISOString() ?? null,
    result: request.result,
    error: request.error,
    ...extra,
  };
}

/** The answer to acknowledging or completing: the request as it now is, or why not. */
function updateAnswer(update: AgentRequestUpdate, requestId: string, agentId: string) {
  switch (update.kind) {
    case "not_found":
      throw new ApiError("AGENT_REQUEST_NOT_FOUND", `no agent request ${requestId}`, { requestId });
    case "not_holder":
      throw new ApiError(
        "LEASE_LOST",
        `request ${requestId} is no longer leased to agent ${agentId} (its lease expired and went to ${update.request.agentId}); drop it`,
        { requestId, holder: update.request.agentId },
      );
    case "done":
    case "unchanged":
    case "finished":
      return { request: requestView(update.request), changed: update.kind === "done" };
  }
}

export function registerAgentRoutes(app: FastifyInstance, ctx: WebserverContext): void {
  const settings = ctx.agentApi;
  const registered = async (agentId: string): Promise<AgentRecord> => {
    const agent = await ctx.storage.agents.getAgent(agentId);
    if (!agent)
      throw new ApiError("AGENT_NOT_REGISTERED", `agent ${agentId} is not registered; register it first`, {
        agentId,
      });
    return agent;
  };

  app.post<{ Params: { agentId: string }; Body: RegisterBody }>(
    "/api/agent/v1/agents/:agentId/register",
    {
      schema: {
        summary:
          "Register an agent (again, after a restart) under its stable id: label, version, deployments and queues it serves",
        tags: ["agent"],
        params: agentParams,
        body: {
          type: "object",
          required: ["label", "version"],
          additionalProperties: false,
          properties: {
            label: nameSchema,
            version: nameSchema,
            deployments: { type: "array", items: nameSchema, maxItems: 100, description: "default [prod]" },
            queues: { type: "array", items: nameSchema, maxItems: 100, description: "default [default]" },
          },
        },
        response: {
          200: {
            type: "object",
            properties: {
              agent: agentSchema,
              settings: {
                type: "object",
                properties: {
                  heartbeatIntervalMs: { type: "integer" },
                  leaseMs: { type: "integer" },
                  longPollMs: { type: "integer" },
                },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const body = request.body;
      const deployments = [
        ...new Set(
          (body.deployments ?? [undefined]).map((name, index) =>
            deploymentFromRequest(name, `body.deployments[${index}]`),
          ),
        ),
      ];
      const agent = await ctx.storage.agents.registerAgent(
        {
          agentId: request.params.agentId,
          label: body.label,
          version: body.version,
          deployments,
          queues: body.queues && body.queues.length > 0 ? [...new Set(body.queues)] : [DEFAULT_AGENT_QUEUE],
          tokenName: request.principal?.name ?? "unknown",
        },
        ctx.now(),
      );
      return {
        agent: agentView(agent),
        // An agent heartbeats several times per lease, so one lost heartbeat does not cost its work.
        settings: {
          heartbeatIntervalMs: Math.floor(settings.leaseMs / 4),
          leaseMs: settings.leaseMs,
          longPollMs: settings.longPollMs,
        },
      };
    },
  );

  app.post<{ Params: { agentId: string }; Body: { status?: JsonValue } }>(
    "/api/agent/v1/agents/:agentId/heartbeat",
    {
      schema: {
        summary: "Heartbeat: the agent is alive (with its code servers' state); renews the leases it holds",
        tags: ["agent"],
        params: agentParams,
        body: {
          type: "object",
          additionalProperties: false,
          properties: {
            status: { ...anyObject, description: "code servers and their state, as the agent sees them" },
          },
        },
        response: { 200: { type: "object", properties: { agent: agentSchema } } },
      },
    },
    async (request) => {
      const agent = await ctx.storage.agents.heartbeatAgent(
        request.params.agentId,
        ctx.now(),
        settings.leaseMs,
        request.body?.status ?? null,
      );
      if (!agent)
        throw new ApiError(
          "AGENT_NOT_REGISTERED",
          `agent ${request.params.agentId} is not registered; register it first`,
          {
            agentId: request.params.agentId,
          },
        );
      return { agent: agentView(agent) };
    },
  );

  app.post<{ Params: { agentId: string }; Body: { waitMs?: number; max?: number } }>(
    "/api/agent/v1/agents/:agentId/poll",
    {
      schema: {
        summary:
          "Long poll: answers as soon as requests for this agent exist (leased to it), or empty after the wait",
        tags: ["agent"],
        params: agentParams,
        body: {
          type: "object",
          additionalProperties: false,
          properties: {
            waitMs: {
              type: "integer",
              minimum: 0,
              maximum: 60_000,
              description: "at most the server's long-poll time",
            },
            max: { type: "integer", minimum: 1, maximum: 100 },
          },
        },
        response: {
          200: { type: "object", properties: { requests: { type: "array", items: requestSchema } } },
        },
      },
    },
    async (request, reply) => {
      const agent = await registered(request.params.agentId);
      const hungUp = abortOnHangUp(request, reply);
      const claimed = await pollForRequests(
        ctx.storage.agents,
        {
          agentId: agent.agentId,
          deployments: agent.deployments,
          queues: agent.queues,
          max: Math.min(request.body?.max ?? settings.maxRequestsPerPoll, settings.maxRequestsPerPoll),
          leaseMs: settings.leaseMs,
        },
        {
          waitMs: Math.min(request.body?.waitMs ?? settings.longPollMs, settings.longPollMs),
          expiredLeaseRecheckMs: settings.expiredLeaseRecheckMs,
          now: ctx.now,
          signal: hungUp,
        },
      );
      const requests = [];
      for (const claimedRequest of claimed) requests.push(await handOut(claimedRequest, agent.agentId));
      return { requests };
    },
  );

  /** The request as the agent gets it; a launch carries a fresh run token for its workers. */
  async function handOut(request: AgentRequestRecord, agentId: string) {
    if (request.type !== "launch_run") return requestView(request);
    const payload = request.payload as unknown as LaunchRunPayload;
    const runToken = await mintRunToken(ctx.storage.auth, {
      runId: payload.runId,
      requestId: request.id,
      attempt: request.attempts,
      agentId,
      ttlMs: settings.runTokenTtlMs,
      now: ctx.now(),
    });
    return requestView(request, { runToken });
  }

  app.post<{ Params: { agentId: string; requestId: string } }>(
    "/api/agent/v1/agents/:agentId/requests/:requestId/acknowledge",
    {
      schema: {
        summary: "Acknowledge a leased request (the agent started on it); renews its lease; idempotent",
        tags: ["agent"],
        params: requestParams,
        response: {
          200: { type: "object", properties: { request: requestSchema, changed: { type: "boolean" } } },
        },
      },
    },
    async (request) => {
      const { agentId, requestId } = request.params;
      await registered(agentId);
      const update = await ctx.storage.agents.acknowledgeRequest(
        requestId,
        agentId,
        ctx.now(),
        settings.leaseMs,
      );
      return updateAnswer(update, requestId, agentId);
    },
  );

  app.post<{
    Params: { agentId: string; requestId: string };
    Body: { outcome: AgentRequestOutcome; result?: JsonValue; error?: JsonValue };
  }>(
    "/api/agent/v1/agents/:agentId/requests/:requestId/complete",
    {
      schema: {
        summary:
          "Complete a request by id: completed (with a result), failed (with an error) or unsupported (the agent does not know its type); a repeat changes nothing",
        tags: ["agent"],
        params: requestParams,
        body: {
          type: "object",
          required: ["outcome"],
          additionalProperties: false,
          properties: {
            outcome: { type: "string", enum: AGENT_REQUEST_OUTCOMES },
            result: {},
            error: {},
          },
        },
        response: {
          200: { type: "object", properties: { request: requestSchema, changed: { type: "boolean" } } },
        },
      },
    },
    async (request) => {
      const { agentId, requestId } = request.params;
      await registered(agentId);
      const update = await ctx.storage.agents.completeRequest(
        requestId,
        agentId,
        {
          outcome: request.body.outcome,
          result: request.body.result ?? null,
          error: request.body.error ?? null,
        },
        ctx.now(),
      );
      return updateAnswer(update, requestId, agentId);
    },
  );
}

/** Aborts when the client goes away before the answer is sent (an agent restarting mid-poll). */
function abortOnHangUp(request: FastifyRequest, reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.on("close", () => {
    if (!reply.raw.writableEnded) controller.abort();
  });
  request.raw.on("aborted", () => controller.abort());
  return controller.signal;
}
