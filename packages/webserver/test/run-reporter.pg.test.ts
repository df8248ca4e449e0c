import { createServer, type Server } from "node:http";
import type { NewEvent } from "@bosun/core";
import { AUTH_DISABLED } from "@bosun/instance";
import { AgentRequests } from "@bosun/runs";
import {
  CONTROL_PLANE_URL_ENV,
  ControlPlaneRefusedError,
  ControlPlaneRunReporter,
  RUN_TOKEN_ENV,
} from "@bosun/storage";
import { StandInAgent } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningWebserver } from "../src/index.ts";
import { startWebserverHarness, type WebserverHarness } from "./support/webserver-harness.ts";

/**
 * A run worker's writes over HTTP (`ControlPlaneRunReporter`) with nothing but the control plane's URL
 * and its run token, through a proxy that loses answers and fails calls: a batch whose answer was lost
 * is retried under its batch id and stored once, in order; a refusal is not retried.
 */

let h: WebserverHarness;
let server: RunningWebserver;
let proxy: Server;
let proxyUrl: string;
/** What the proxy does to the next events calls, in order: forward, drop the answer, or answer 503. */
const faults: ("lose-answer" | "503")[] = [];
let eventCalls = 0;

beforeAll(async () => {
  h = await startWebserverHarness();
  server = await h.startAnother({ auth: { ...AUTH_DISABLED, enabled: true } });
  proxy = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const isEvents = request.url?.endsWith("/events") ?? false;
    if (isEvents) eventCalls++;
    const fault = isEvents ? faults.shift() : undefined;
    if (fault === "503") {
      response.writeHead(503).end();
      return;
    }
    const answer = await fetch(`${server.url}${request.url}`, {
      method: request.method,
      headers: request.headers as Record<string, string>,
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
    });
    const body = await answer.text();
    // The call reached the control plane and was stored; only its answer is lost on the way back.
    if (fault === "lose-answer") {
      response.socket?.destroy();
      return;
    }
    response.writeHead(answer.status, { "content-type": "application/json" }).end(body);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const address = proxy.address();
  proxyUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
}, 60_000);
afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  await h?.close();
});

async function launchedRun(): Promise<{ runId: string; runToken: string }> {
  const launched = await h.api("POST", "/api/runs", { location: "main", job: "sum_job" });
  const runId: string = launched.body.run.runId;
  const { secret } = await h.db.storage.auth.createToken({
    name: `agent-${runId}`,
    kind: "agent",
    role: "viewer",
  });
  const agent = new StandInAgent({
    baseUrl: server.url,
    token: secret,
    agentId: `a-${runId}`,
    deployments: [runId.slice(0, 8)],
  });
  await agent.register();
  await new AgentRequests(h.db.storage).launchRun({ deployment: runId.slice(0, 8), runId, location: "main" });
  const [launch] = await agent.take({ waitMs: 2_000 });
  return { runId, runToken: launch!.runToken! };
}

const log = (runId: string, message: string): NewEvent => ({
  runId,
  type: "LOG_MESSAGE",
  timestamp: Date.now(),
  stepKey: null,
  level: "info",
  message,
  data: {},
});

const outage = { toleranceMs: 10_000, initialDelayMs: 20, maxDelayMs: 100 };

describe("ControlPlaneRunReporter", () => {
  it("retries a batch whose answer was lost, and one answered 503, storing each once and in order", async () => {
    const { runId, runToken } = await launchedRun();
    const reporter = ControlPlaneRunReporter.fromEnvironment(
      runId,
      { [CONTROL_PLANE_URL_ENV]: proxyUrl, [RUN_TOKEN_ENV]: runToken },
      outage,
    );
    eventCalls = 0;
    faults.push("lose-answer", "503");
    await reporter.appendEvents([log(runId, "one"), log(runId, "two")]);
    await reporter.appendEvents([log(runId, "three")]);
    expect(eventCalls).toBe(4);
    const messages = (await h.db.storage.events.getEvents(runId, { types: ["LOG_MESSAGE"] })).map(
      (e) => e.message,
    );
    expect(messages).toEqual(["one", "two", "three"]);

    await reporter.appendComputeLogs([{ stepKey: "add", stream: "stderr", data: "careful" }], {
      batchKey: "l",
    });
    await reporter.appendComputeLogs([{ stepKey: "add", stream: "stderr", data: "careful" }], {
      batchKey: "l",
    });
    expect((await h.db.storage.computeLogs.read(runId, "add", "stderr")).data).toBe("careful");
  });

  it("throws a refusal at once instead of retrying it (a token of another run)", async () => {
    const { runToken } = await launchedRun();
    const { runId: other } = await launchedRun();
    const reporter = new ControlPlaneRunReporter({ url: server.url, runToken, runId: other, outage });
    const started = Date.now();
    await expect(reporter.appendEvents([log(other, "x")])).rejects.toBeInstanceOf(ControlPlaneRefusedError);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("names the variable a worker lacks", () => {
    expect(() =>
      ControlPlaneRunReporter.fromEnvironment("r", { [CONTROL_PLANE_URL_ENV]: "http://x" }, outage),
    ).toThrow(RUN_TOKEN_ENV);
  });
});
