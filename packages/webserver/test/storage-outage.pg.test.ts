import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startWorkspace, type WorkspaceManager } from "@bosun/code-server";
import { newEvent } from "@bosun/core";
import { BOSUN_COMMAND, type DedicatedPostgres, startDedicatedPostgres } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningWebserver, startWebserver } from "../src/index.ts";
import { openSse, type SseConnection } from "./support/sse-client.ts";
import { MAIN_FIXTURE } from "./support/webserver-harness.ts";

/**
 * The database goes away under a running webserver (its own PostgreSQL, stopped and started again):
 * every route that needs it answers 503 STORAGE_UNAVAILABLE with Retry-After in the error shape, never
 * 500; routes that need no database keep answering; a live event stream stays open and resumes delivery
 * once the database is back, and a client reconnecting with Last-Event-ID during the outage is told to
 * retry, then resumes without gaps after it.
 */

const RETRY_AFTER_SECONDS = 3;

/** Routes that read nothing from the database: they keep answering during an outage (liveness must). */
const NO_DATABASE = new Set([
  "GET /api/health",
  "GET /api/server-info",
  "GET /api/openapi.json",
  "GET /api/locations",
  "GET /api/locations/{location}/jobs",
  "GET /api/locations/{location}/jobs/{job}",
  "POST /api/locations/{name}/reload",
  // With auth off (this suite), the caller is the anonymous admin: nothing to look up.
  "GET /api/auth/me",
]);

let pg: DedicatedPostgres;
let workspace: WorkspaceManager;
let server: RunningWebserver;
let home: string;
/** The run whose event stream lives through the outage. */
let runId: string;
/** The run that mutating routes (terminate, re-execute) act on, so the streamed one stays queued. */
let otherRunId: string;
let routes: { method: string; path: string; sse: boolean }[];

beforeAll(async () => {
  pg = await startDedicatedPostgres();
  home = await mkdtemp(path.join(tmpdir(), "bosun-outage-test-"));
  const workspaceFile = path.join(home, "workspace.yaml");
  await writeFile(
    workspaceFile,
    `load_from:\n  - typescript_file:\n      path: ${JSON.stringify(MAIN_FIXTURE)}\n      location_name: main\n`,
  );
  workspace = await startWorkspace(
    { workspaceFile },
    {
      bosunCommand: BOSUN_COMMAND,
      env: { BOSUN_DATABASE_URL: pg.databaseUrl, BOSUN_HOME: home },
      log: () => {},
    },
  );
  server = await startWebserver({
    storage: pg.storage,
    workspace,
    port: 0,
    uiDirectory: null,
    sseHeartbeatMs: 200,
    logStreamStatusPollMs: 100,
    retryAfterSeconds: RETRY_AFTER_SECONDS,
    deployments: { storages: pg.storage },
  });
  const launched = await call("POST", "/api/runs", { location: "main", job: "sum_job" });
  expect(launched.status).toBe(201);
  runId = launched.json.run.runId;
  otherRunId = (await call("POST", "/api/runs", { location: "main", job: "sum_job" })).json.run.runId;
  const document = (await call("GET", "/api/openapi.json")).json;
  routes = Object.entries(
    document.paths as Record<
      string,
      Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>
    >,
  ).flatMap(([routePath, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path: routePath,
      sse: Boolean(operation.responses["200"]?.content?.["text/event-stream"]),
    })),
  );
}, 120_000);

afterAll(async () => {
  await server?.close();
  await workspace?.close();
  await pg?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

async function call(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read any field of a JSON body
  json: any;
}> {
  const response = await fetch(`${server.url}${url}`, {
    method,
    headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, headers: response.headers, json };
}

/** The route with sample values for its path parameters, and the body its method needs. */
function concrete(route: { method: string; path: string }): { url: string; body?: unknown } {
  const samples: Record<string, string> = {
    id: route.method === "GET" ? runId : otherRunId,
    location: "main",
    job: "sum_job",
    name: route.path.startsWith("/api/sensors")
      ? "orders_sensor"
      : route.path.startsWith("/api/locations")
        ? "main"
        : "hourly_sum",
    stepKey: "numbers",
    stream: "stdout",
    key: "raw_orders",
    deployment: "prod",
    agentId: "agent-1",
    requestId: "00000000-0000-4000-8000-000000000000",
    runId,
  };
  const url = route.path.replace(/\{(\w+)\}/g, (_, name: string) => samples[name] ?? name);
  if (route.path === "/api/asset-partitions") return { url: `${url}?asset=regional_sales` };
  if (route.method === "POST" && route.path === "/api/runs")
    return { url, body: { location: "main", job: "sum_job" } };
  if (route.method === "POST" && route.path.endsWith("/reexecute")) return { url, body: { mode: "all" } };
  if (route.method === "POST" && route.path === "/api/tokens")
    return { url, body: { name: "ci", role: "viewer" } };
  if (route.method === "PUT" && route.path.endsWith("/locations")) return { url, body: { locations: [] } };
  if (route.method === "POST" && route.path === "/api/deployments")
    return { url, body: { branch: "feature-x", base: "prod" } };
  return { url };
}

/**
 * The agent and run reporting APIs take their token even with auth off: a well-formed token this
 * instance never issued makes them look it up (401 while the database is up, 503 while it is away).
 */
function tokenHeaders(route: { path: string }): Record<string, string> {
  if (route.path.startsWith("/api/agent/")) return { authorization: `Bearer bosun_agent_${"A".repeat(43)}` };
  if (route.path.startsWith("/api/run/")) return { authorization: `Bearer bosun_run_${"A".repeat(43)}` };
  return {};
}

/** Status and headers only: an event stream that opens is closed at once. */
async function statusOf(
  route: { method: string; path: string; sse: boolean },
  extraHeaders: Record<string, string> = {},
) {
  const { url, body } = concrete(route);
  if (!route.sse) return call(route.method, url, body, { ...tokenHeaders(route), ...extraHeaders });
  const controller = new AbortController();
  const response = await fetch(`${server.url}${url}`, { headers: extraHeaders, signal: controller.signal });
  const json = response.headers.get("content-type")?.includes("json") ? await response.json() : null;
  controller.abort();
  return { status: response.status, headers: response.headers, json };
}

async function nextMessage(stream: SseConnection) {
  const frames = await stream.readUntil((f) => f.event === "message");
  return frames.at(-1)!;
}

describe("webserver during a database outage", () => {
  let live: SseConnection;
  let liveLogs: SseConnection;
  let lastSeenId: string;

  it("answers every route while the database is up (the baseline)", async () => {
    expect(routes.length).toBeGreaterThan(20);
    for (const route of routes) {
      const response = await statusOf(route);
      expect(response.status, `${route.method} ${route.path}`).toBeLessThan(500);
    }
    live = await openSse(`${server.url}/api/runs/${runId}/events/stream`);
    expect(live.status).toBe(200);
    const first = await nextMessage(live);
    expect(JSON.parse(first.data).type).toBe("RUN_ENQUEUED");
    lastSeenId = first.id!;
    liveLogs = await openSse(`${server.url}/api/runs/${runId}/logs/numbers/stdout/stream`);
    await pg.storage.computeLogs.append(runId, "numbers", "stdout", "before\n");
    expect(JSON.parse((await nextMessage(liveLogs)).data)).toEqual({ data: "before\n", nextOffset: 7 });
  }, 60_000);

  it("answers 503 STORAGE_UNAVAILABLE with Retry-After on every route that needs the database, never 500", async () => {
    await pg.stop();
    const unavailable: string[] = [];
    for (const route of routes) {
      const label = `${route.method} ${route.path}`;
      const response = await statusOf(route);
      if (NO_DATABASE.has(label)) {
        expect(response.status, label).toBeLessThan(300);
        continue;
      }
      expect(response.status, `${label}: ${JSON.stringify(response.json)}`).toBe(503);
      expect(response.headers.get("retry-after"), label).toBe(String(RETRY_AFTER_SECONDS));
      expect(response.headers.get("content-type"), label).toMatch(/^application\/json/);
      expect(Object.keys(response.json), label).toEqual(["error"]);
      expect(response.json.error.code, label).toBe("STORAGE_UNAVAILABLE");
      expect(response.json.error.message, label).toContain("cannot reach PostgreSQL");
      unavailable.push(label);
    }
    // Every route was checked one way or the other, and most of them need the database.
    expect(unavailable.length + NO_DATABASE.size).toBe(routes.length);
  }, 120_000);

  it("tells a stream reconnecting with Last-Event-ID during the outage to retry (503 + Retry-After)", async () => {
    const response = await statusOf(
      { method: "GET", path: "/api/runs/{id}/events/stream", sse: true },
      { "last-event-id": lastSeenId },
    );
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe(String(RETRY_AFTER_SECONDS));
    expect(response.json.error.code).toBe("STORAGE_UNAVAILABLE");
  });

  it("keeps live event and log streams open through the outage and delivers what is stored after the database returns", async () => {
    // Heartbeats go on meanwhile; the stream is never ended, so the client has nothing to reconnect.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await pg.start();
    await pg.storage.events.appendEvents([
      newEvent(runId, "LOG_MESSAGE", { message: "after the outage", data: {} }),
    ]);
    const frame = await nextMessage(live);
    const event = JSON.parse(frame.data);
    expect(event).toMatchObject({ type: "LOG_MESSAGE", message: "after the outage" });
    expect(Number(frame.id)).toBeGreaterThan(Number(lastSeenId));
    live.close();
    await pg.storage.computeLogs.append(runId, "numbers", "stdout", "after\n");
    const chunk = await nextMessage(liveLogs);
    expect(JSON.parse(chunk.data)).toEqual({ data: "after\n", nextOffset: 13 });
    expect(chunk.id).toBe("13");
    liveLogs.close();
  }, 60_000);

  it("resumes a reconnecting stream from Last-Event-ID once the database is back, without gaps", async () => {
    const resumed = await openSse(`${server.url}/api/runs/${runId}/events/stream`, {
      "last-event-id": lastSeenId,
    });
    expect(resumed.status).toBe(200);
    const frame = await nextMessage(resumed);
    resumed.close();
    const stored = await pg.storage.events.getEvents(runId, { afterSeq: Number(lastSeenId) });
    expect(Number(frame.id)).toBe(stored[0]!.seq);
  });

  it("answers every route again once the database is back", async () => {
    for (const route of routes) {
      const response = await statusOf(route);
      expect(response.status, `${route.method} ${route.path}: ${JSON.stringify(response.json)}`).toBeLessThan(
        500,
      );
    }
    expect((await call("GET", "/api/ready")).status).toBe(200);
  }, 60_000);
});
