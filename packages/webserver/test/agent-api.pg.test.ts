import { randomUUID } from "node:crypto";
import { AUTH_DISABLED } from "@bosun/instance";
import { k8sPlugin } from "@bosun/k8s/plugin";
import { AgentRequests } from "@bosun/runs";
import type { NewApiToken } from "@bosun/storage";
import { StandInAgent } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningWebserver } from "../src/index.ts";
import {
  type ApiResponse,
  startWebserverHarness,
  type WebserverHarness,
} from "./support/webserver-harness.ts";

/**
 * The control plane's side of hybrid mode against a real webserver and PostgreSQL, driven by a stand-in
 * agent that speaks the agent API: agent tokens only, registration, long polls woken by new work,
 * idempotent completion, leases handed over when an agent stops heartbeating, `unsupported` answers,
 * desired locations from a locations file, and run workers reporting with run tokens.
 */

const LEASE_MS = 800;
let h: WebserverHarness;
let server: RunningWebserver;
let requests: AgentRequests;
let agentToken: string;
let userToken: string;

beforeAll(async () => {
  h = await startWebserverHarness();
  server = await h.startAnother({
    auth: { ...AUTH_DISABLED, enabled: true },
    containerContextChecks: k8sPlugin.definitionChecks?.containerContext ?? {},
    agentApi: { longPollMs: 20_000, leaseMs: LEASE_MS, expiredLeaseRecheckMs: 100 },
    deployments: { storages: h.db.storage },
  });
  requests = new AgentRequests(h.db.storage);
  agentToken = await token({ kind: "agent", role: "viewer" });
  userToken = await token({ kind: "user", role: "editor" });
}, 60_000);
afterAll(() => h?.close());

let tokenCount = 0;
async function token(spec: Pick<NewApiToken, "kind" | "role">): Promise<string> {
  const { secret } = await h.db.storage.auth.createToken({ name: `agent-test-${++tokenCount}`, ...spec });
  return secret;
}

/** Each test its own deployment, so requests of one never reach another's agents. */
function deployment(): string {
  return `d-${randomUUID().slice(0, 8)}`;
}

/** A deployment the registry knows (open): only such a one takes desired locations. */
async function openDeployment(): Promise<string> {
  const name = deployment();
  await h.db.storage.deployments.upsertBranchDeployment(name, { branch: name, base: "prod" }, new Date());
  return name;
}

async function agent(
  deploymentName: string,
  id = `agent-${randomUUID().slice(0, 8)}`,
): Promise<StandInAgent> {
  const stand = new StandInAgent({
    baseUrl: server.url,
    token: agentToken,
    agentId: id,
    deployments: [deploymentName],
  });
  const registered = await stand.register();
  expect(registered.status, JSON.stringify(registered.body)).toBe(200);
  return stand;
}

async function call(method: string, url: string, bearer: string, body?: unknown): Promise<ApiResponse> {
  const response = await fetch(`${server.url}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${bearer}`,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

describe("agent tokens only", () => {
  it("refuses a user token on the agent API with 401 naming both kinds", async () => {
    const asUser = new StandInAgent({ baseUrl: server.url, token: userToken, agentId: "by-user" });
    const answer = await asUser.register();
    expect(answer.status).toBe(401);
    expect(answer.body.error.details).toMatchObject({ reason: "wrong_kind", kind: "user", accepts: "agent" });
    expect(answer.body.error.message).toContain("user token");
    expect(answer.body.error.message).toContain("agent tokens only");
  });

  it("refuses an agent token on the user API, and a call with no token", async () => {
    expect((await call("GET", "/api/runs", agentToken)).body.error.details.reason).toBe("wrong_kind");
    const anonymous = await fetch(`${server.url}/api/agent/v1/agents/x/heartbeat`, { method: "POST" });
    expect(anonymous.status).toBe(401);
  });

  it("needs the agent token even on a webserver whose auth is off", async () => {
    const open = new StandInAgent({ baseUrl: h.server.url, token: userToken, agentId: "open" });
    expect((await open.register()).status).toBe(401);
    const withAgentToken = new StandInAgent({ baseUrl: h.server.url, token: agentToken, agentId: "open" });
    expect((await withAgentToken.register()).status).toBe(200);
  });

  it("lists the agent API in the OpenAPI document with its x-bosun-permission", async () => {
    const document = (await h.api("GET", "/api/openapi.json")).body;
    const poll = document.paths["/api/agent/v1/agents/{agentId}/poll"].post;
    expect(poll["x-bosun-permission"]).toBe("agent-token");
    expect(document.paths["/api/run/v1/runs/{runId}/events"].post["x-bosun-permission"]).toBe("run-token");
  });
});

describe("registration and heartbeats", () => {
  it("keeps one agent per stable id across re-registrations and records its heartbeat status", async () => {
    const d = deployment();
    const id = `stable-${randomUUID().slice(0, 8)}`;
    const first = await agent(d, id);
    const again = new StandInAgent({ ...first.options, version: "2.0.0" });
    expect((await again.register()).body.agent.version).toBe("2.0.0");
    const beat = await again.heartbeat({ codeServers: [{ location: "sales", status: "running" }] });
    expect(beat.status).toBe(200);
    const listed = (await call("GET", "/api/agents", userToken)).body.agents.filter(
      (a: { agentId: string }) => a.agentId === id,
    );
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ version: "2.0.0", deployments: [d], queues: ["default"] });
    expect(listed[0].status.codeServers[0].status).toBe("running");
  });

  it("refuses a poll or heartbeat from an agent that never registered", async () => {
    const stranger = new StandInAgent({
      baseUrl: server.url,
      token: agentToken,
      agentId: "never-registered",
    });
    expect((await stranger.poll({ waitMs: 0 })).body.error.code).toBe("AGENT_NOT_REGISTERED");
    expect((await stranger.heartbeat()).status).toBe(404);
  });
});

describe("long poll", () => {
  it("answers a waiting poll as soon as a request is enqueued, long before its wait ends", async () => {
    const d = deployment();
    const a = await agent(d);
    const started = Date.now();
    const polling = a.take({ waitMs: 15_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const enqueued = await requests.terminateRun({ deployment: d, runId: "r-1", location: "sales" });
    const taken = await polling;
    expect(taken.map((r) => r.id)).toEqual([enqueued.id]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("answers empty after the wait when there is no work", async () => {
    const a = await agent(deployment());
    const started = Date.now();
    expect(await a.take({ waitMs: 400 })).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
  });

  it("hands a request to exactly one of several agents polling at once", async () => {
    // Leases longer than the polls here: a holder that does not heartbeat would otherwise lose it.
    const longLeases = await h.startAnother({ agentApi: { leaseMs: 60_000, expiredLeaseRecheckMs: 100 } });
    const d = deployment();
    const agents = await Promise.all(
      [1, 2, 3].map(async (n) => {
        const stand = new StandInAgent({
          baseUrl: longLeases.url,
          token: agentToken,
          agentId: `${d}-${n}`,
          deployments: [d],
        });
        expect((await stand.register()).status).toBe(200);
        return stand;
      }),
    );
    const polls = agents.map((a) => a.take({ waitMs: 1_500 }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const enqueued = await requests.terminateRun({ deployment: d, runId: "r-2", location: "sales" });
    const taken = (await Promise.all(polls)).flat();
    expect(taken.map((r) => r.id)).toEqual([enqueued.id]);
  });

  it("gives an agent only its deployments' and queues' requests", async () => {
    const d = deployment();
    const eu = new StandInAgent({
      baseUrl: server.url,
      token: agentToken,
      agentId: `eu-${d}`,
      deployments: [d],
      queues: ["eu"],
    });
    await eu.register();
    await requests.terminateRun({ deployment: deployment(), runId: "elsewhere", location: "x" });
    await requests.terminateRun({ deployment: d, runId: "default-queue", location: "x" });
    expect(await eu.take({ waitMs: 0 })).toEqual([]);
  });
});

describe("acknowledging and completing", () => {
  it("completes a request once: a repeated completion changes nothing and it is never handed out again", async () => {
    const d = deployment();
    const a = await agent(d);
    const enqueued = await requests.terminateRun({ deployment: d, runId: "r-3", location: "sales" });
    const [taken] = await a.take({ waitMs: 1_000 });
    expect((await a.acknowledge(taken!.id)).body.request.status).toBe("acknowledged");
    expect((await a.acknowledge(taken!.id)).body.changed).toBe(false);
    const first = await a.complete(taken!.id, "completed", { result: { terminated: true } });
    expect(first.body).toMatchObject({
      changed: true,
      request: { status: "completed", result: { terminated: true } },
    });
    const again = await a.complete(taken!.id, "failed", { error: { message: "late retry" } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ changed: false, request: { status: "completed", error: null } });
    expect((await h.db.storage.agents.getRequest(enqueued.id))?.status).toBe("completed");
    expect(await a.take({ waitMs: 0 })).toEqual([]);
  });

  it("records `unsupported` for a type the agent does not know, and does not hand it out again", async () => {
    const d = deployment();
    const old = await agent(d);
    const enqueued = await h.db.storage.agents.enqueueRequest(
      { deployment: d, queue: "default", type: "future_request_type", payload: {} },
      new Date(),
    );
    const [taken] = await old.take({ waitMs: 1_000 });
    expect(taken!.type).toBe("future_request_type");
    const answer = await old.complete(taken!.id, "unsupported", {
      error: { message: "unknown type future_request_type" },
    });
    expect(answer.body.request.status).toBe("unsupported");
    expect(await old.take({ waitMs: 300 })).toEqual([]);
    expect((await h.db.storage.agents.getRequest(enqueued.id))?.attempts).toBe(1);
  });

  it("answers 404 for an unknown request id", async () => {
    const a = await agent(deployment());
    const answer = await a.complete(randomUUID(), "completed");
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe("AGENT_REQUEST_NOT_FOUND");
  });
});

describe("leases", () => {
  it("keeps a request with an agent that heartbeats, and hands it to another when the holder stops", async () => {
    const d = deployment();
    const holder = await agent(d);
    const other = await agent(d);
    const enqueued = await requests.terminateRun({ deployment: d, runId: "r-4", location: "sales" });
    const [taken] = await holder.take({ waitMs: 1_000 });
    expect(taken!.id).toBe(enqueued.id);

    // Heartbeats renew the lease: for two lease lengths the other agent gets nothing.
    const until = Date.now() + 2 * LEASE_MS;
    while (Date.now() < until) {
      expect((await holder.heartbeat()).status).toBe(200);
      expect(await other.take({ waitMs: LEASE_MS / 4 })).toEqual([]);
    }

    // The holder stops heartbeating: once its lease expires the other agent's waiting poll gets it.
    const handedOver = await other.take({ waitMs: 5_000 });
    expect(handedOver.map((r) => [r.id, r.attempts])).toEqual([[enqueued.id, 2]]);
    const late = await holder.complete(taken!.id, "completed");
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe("LEASE_LOST");
    expect((await other.complete(taken!.id, "completed")).body.request).toMatchObject({
      status: "completed",
      agentId: other.agentId,
    });
  });

  it("gives back at once the unacknowledged requests of an agent that restarts (registers again)", async () => {
    const d = deployment();
    const restarting = await agent(d);
    const enqueued = await requests.terminateRun({ deployment: d, runId: "r-6", location: "x" });
    const acknowledged = await requests.terminateRun({ deployment: d, runId: "r-7", location: "x" });
    const taken = await restarting.take({ waitMs: 1_000 });
    expect(taken.map((r) => r.id)).toEqual([enqueued.id, acknowledged.id]);
    await restarting.acknowledge(acknowledged.id);
    // The process dies with the first request unread and comes back under the same id, long before the lease ends.
    expect((await restarting.register()).status).toBe(200);
    const again = await restarting.take({ waitMs: 0 });
    expect(again.map((r) => [r.id, r.attempts])).toEqual([[enqueued.id, 2]]);
    expect((await h.db.storage.agents.getRequest(acknowledged.id))?.status).toBe("acknowledged");
  });

  it("sends a terminate for isolated agents only to the agent that launched the run", async () => {
    const d = deployment();
    const launcher = await agent(d);
    const bystander = await agent(d);
    await requests.terminateRun({ deployment: d, runId: "r-5", location: "x", launchedBy: launcher.agentId });
    expect(await bystander.take({ waitMs: 200 })).toEqual([]);
    expect((await launcher.take({ waitMs: 1_000 })).map((r) => r.payload.runId)).toEqual(["r-5"]);
  });
});

describe("desired locations (bosun-locations.yaml)", () => {
  const location = (extra: Record<string, unknown> = {}) => ({
    location_name: "sales",
    image: "registry.example.com/sales:1",
    code_source: { file: "src/definitions.ts" },
    ...extra,
  });

  it("takes locations only for a deployment the registry knows and that is open", async () => {
    const body = { locations: [location({})] };
    const unknown = await call("PUT", `/api/deployments/${deployment()}/locations`, userToken, body);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("DEPLOYMENT_NOT_FOUND");
    const d = await openDeployment();
    await h.db.storage.deployments.closeDeployment(d, new Date());
    const closed = await call("PUT", `/api/deployments/${d}/locations`, userToken, body);
    expect(closed.status).toBe(409);
    expect(closed.body.error.code).toBe("DEPLOYMENT_CLOSED");
    expect(await h.db.storage.desiredLocations.getDesiredLocations(d)).toBeNull();
  });

  it("refuses a misspelt key with its path and the nearest valid key", async () => {
    const d = await openDeployment();
    const answer = await call("PUT", `/api/deployments/${d}/locations`, userToken, {
      locations: [location({ agnet_queue: "eu" })],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("INVALID_LOCATIONS");
    expect(answer.body.error.details.issues).toEqual([
      expect.objectContaining({ field: "locations[0].agnet_queue", suggestion: "agent_queue" }),
    ]);
    expect(answer.body.error.message).toContain('did you mean "agent_queue"?');
  });

  it("checks container_context.k8s with the Kubernetes plugin's schema, path and suggestion included", async () => {
    const answer = await call("PUT", `/api/deployments/${await openDeployment()}/locations`, userToken, {
      locations: [location({ container_context: { k8s: { env_varz: ["A=1"] } } })],
    });
    expect(answer.status).toBe(400);
    const [issue] = answer.body.error.details.issues;
    expect(issue.field).toBe("locations[0].container_context.k8s.env_varz");
    expect(issue.suggestion).toBe("env_vars");
  });

  it("versions each change, keeps the history, and asks the deployment's agents to reconcile", async () => {
    const d = await openDeployment();
    const a = await agent(d);
    const k8s = {
      env_config_maps: ["cm"],
      env_secrets: ["secret"],
      env_vars: ["FOO=foo", "BAR"],
      image_pull_policy: "Always",
      image_pull_secrets: [{ name: "pull" }],
      labels: { team: "sales" },
      namespace: "sales",
      service_account_name: "sales-sa",
      volume_mounts: [{ mount_path: "/etc/x", name: "v", sub_path: "x.yaml" }],
      volumes: [{ name: "v", config_map: { name: "cm" } }],
      resources: { limits: { cpu: "500m" } },
      server_k8s_config: {
        pod_spec_config: { node_selector: { disktype: "standard" } },
        pod_template_spec_metadata: { annotations: { a: "b" } },
        deployment_metadata: { annotations: { a: "b" } },
        service_metadata: { annotations: { a: "b" } },
        container_config: { resources: { limits: { cpu: "100m", memory: "128Mi" } } },
      },
      run_k8s_config: {
        pod_spec_config: { node_selector: { disktype: "ssd" } },
        container_config: { resources: { limits: { cpu: "500m", memory: "1024Mi" } } },
        pod_template_spec_metadata: { annotations: { a: "b" } },
        job_spec_config: { ttl_seconds_after_finished: 7200 },
        job_metadata: { annotations: { a: "b" } },
      },
    };
    const first = await call("PUT", `/api/deployments/${d}/locations`, userToken, {
      locations: [location({ working_directory: "/app", container_context: { k8s } })],
    });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.version.version).toBe(1);
    const second = await call("PUT", `/api/deployments/${d}/locations`, userToken, {
      locations: [{ locationName: "sales", codeSource: { module: "@acme/sales" }, agentQueue: "default" }],
    });
    expect(second.body.version.version).toBe(2);
    expect(second.body.version.locations).toEqual([
      { location_name: "sales", code_source: { module: "@acme/sales" }, agent_queue: "default" },
    ]);
    const history = await call("GET", `/api/deployments/${d}/locations/history`, userToken);
    expect(history.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const reconciles = await a.take({ waitMs: 1_000 });
    expect(reconciles.map((r) => [r.type, r.payload.version])).toEqual([
      ["reconcile_locations", 1],
      ["reconcile_locations", 2],
    ]);
    expect(reconciles[0]!.payload.locations[0].container_context.k8s.service_account_name).toBe("sales-sa");
  });

  it("refuses a malformed deployment name naming the field", async () => {
    const answer = await call("GET", "/api/deployments/-bad/locations", userToken);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("INVALID_DEPLOYMENT");
  });
});

describe("run workers reporting over HTTP with run tokens", () => {
  async function launchedRun(d: string) {
    const launched = await h.api("POST", "/api/runs", { location: "main", job: "sum_job" });
    expect(launched.status, JSON.stringify(launched.body)).toBe(201);
    const runId: string = launched.body.run.runId;
    const a = await agent(d);
    await requests.launchRun({ deployment: d, runId, location: "main" });
    const [launch] = await a.take({ waitMs: 1_000 });
    expect(launch!.type).toBe("launch_run");
    expect(launch!.runToken).toMatch(/^bosun_run_/);
    return { runId, runToken: launch!.runToken!, agent: a };
  }

  const event = (type: string, message: string) => ({
    type,
    timestamp: Date.now(),
    level: "info",
    message,
    data: {},
  });

  it("appends events in order, stores a retried batch once, and takes compute logs", async () => {
    const { runId, runToken } = await launchedRun(deployment());
    const batch = {
      batchId: "b-1",
      events: [event("RUN_START", "started"), event("LOG_MESSAGE", "one"), event("LOG_MESSAGE", "two")],
    };
    const first = await call("POST", `/api/run/v1/runs/${runId}/events`, runToken, batch);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.stored).toBe(3);
    const retried = await call("POST", `/api/run/v1/runs/${runId}/events`, runToken, batch);
    expect(retried.body.stored).toBe(0);
    await call("POST", `/api/run/v1/runs/${runId}/events`, runToken, {
      batchId: "b-2",
      events: [event("LOG_MESSAGE", "three")],
    });
    const messages = (await h.db.storage.events.getEvents(runId, { types: ["LOG_MESSAGE"] })).map(
      (e) => e.message,
    );
    expect(messages).toEqual(["one", "two", "three"]);
    expect((await h.db.storage.runs.getRun(runId))?.status).toBe("STARTED");

    const logs = {
      batchId: "l-1",
      chunks: [
        { stepKey: "add", stream: "stdout", data: "hello " },
        { stepKey: "add", stream: "stdout", data: "world" },
      ],
    };
    expect((await call("POST", `/api/run/v1/runs/${runId}/logs`, runToken, logs)).status).toBe(200);
    await call("POST", `/api/run/v1/runs/${runId}/logs`, runToken, logs);
    expect((await h.db.storage.computeLogs.read(runId, "add", "stdout")).data).toBe("hello world");
  });

  it("refuses a run token for another run (403) and on the agent and user APIs (401)", async () => {
    const d = deployment();
    const { runToken } = await launchedRun(d);
    const { runId: otherRun } = await launchedRun(d);
    const other = await call("POST", `/api/run/v1/runs/${otherRun}/events`, runToken, {
      batchId: "x",
      events: [event("LOG_MESSAGE", "intruder")],
    });
    expect(other.status).toBe(403);
    expect(other.body.error.details.reason).toBe("other_run");
    expect(await h.db.storage.events.getEvents(otherRun, { types: ["LOG_MESSAGE"] })).toEqual([]);
    const asAgent = new StandInAgent({ baseUrl: server.url, token: runToken, agentId: "run-token" });
    expect((await asAgent.register()).body.error.details).toMatchObject({
      reason: "wrong_kind",
      kind: "run",
    });
    expect((await call("GET", "/api/runs", runToken)).status).toBe(401);
    // And an agent token is no run token.
    expect(
      (await call("POST", `/api/run/v1/runs/${otherRun}/events`, agentToken, { batchId: "y", events: [] }))
        .status,
    ).toBe(401);
  });

  it("refuses the run token once its run has ended", async () => {
    const { runId, runToken } = await launchedRun(deployment());
    const post = (batchId: string, events: unknown[]) =>
      call("POST", `/api/run/v1/runs/${runId}/events`, runToken, { batchId, events });
    expect((await post("s", [event("RUN_START", "started")])).status).toBe(200);
    expect((await post("e", [event("RUN_SUCCESS", "done")])).status).toBe(200);
    const after = await post("late", [event("LOG_MESSAGE", "after the end")]);
    expect(after.status).toBe(403);
    expect(after.body.error.code).toBe("RUN_ENDED");
    expect((await h.db.storage.runs.getRun(runId))?.status).toBe("SUCCESS");
    expect(await h.db.storage.events.getEvents(runId, { types: ["LOG_MESSAGE"] })).toEqual([]);
  });
});
