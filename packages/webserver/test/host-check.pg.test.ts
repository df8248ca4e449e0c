import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningWebserver } from "../src/index.ts";
import { databaseFingerprint } from "./support/database-fingerprint.ts";
import { type RawRequest, rawRequest } from "./support/raw-http.ts";
import { startWebserverHarness, type WebserverHarness } from "./support/webserver-harness.ts";

/**
 * DNS rebinding: a page on attacker.example that re-points its name at 127.0.0.1 makes the browser send
 * `Host: attacker.example` to the local webserver, and a cross-site form or fetch sends a foreign Origin.
 * Both are refused on every route except the liveness and readiness probes; loopback names and the
 * configured public URL and allowed hosts are answered.
 */

let h: WebserverHarness;
let configured: RunningWebserver;
const LAUNCH = JSON.stringify({ location: "main", job: "sum_job" });

beforeAll(async () => {
  h = await startWebserverHarness();
  configured = await h.startAnother({
    publicUrl: "https://bosun.example.com",
    allowedHosts: ["bosun.internal", "*.corp.example"],
  });
}, 60_000);
afterAll(() => h?.close());

const port = (server: RunningWebserver) => new URL(server.url).port;
const getRuns = (host: string | null, server = h.server) =>
  rawRequest(server.url, { method: "GET", path: "/api/runs", host });
const launch = (headers: Record<string, string>, host?: string, server = h.server) => {
  const request: RawRequest = {
    method: "POST",
    path: "/api/runs",
    headers: { "content-type": "application/json", ...headers },
    body: LAUNCH,
    ...(host !== undefined ? { host } : {}),
  };
  return rawRequest(server.url, request);
};

describe("Host check", () => {
  it("refuses a read-only GET naming a foreign Host with 421 in the error shape, naming the header", async () => {
    const response = await getRuns(`attacker.example:${port(h.server)}`);
    expect(response.status).toBe(421);
    expect(response.json.error.code).toBe("HOST_NOT_ALLOWED");
    expect(response.json.error.details.issues[0].field).toBe("headers.host");
    expect(response.json.error.message).toContain("attacker.example");
  });

  it("refuses a launch naming a foreign Host and stores nothing", async () => {
    const before = await databaseFingerprint(h.db.databaseUrl);
    const response = await launch({}, `attacker.example:${port(h.server)}`);
    expect(response.status).toBe(421);
    expect(response.json.error.code).toBe("HOST_NOT_ALLOWED");
    expect(await databaseFingerprint(h.db.databaseUrl)).toEqual(before);
  });

  it("refuses foreign names on SSE, asset and job routes alike", async () => {
    for (const path of [
      "/api/runs/x/events/stream",
      "/api/assets/raw_orders",
      "/api/locations/main/jobs",
      "/",
    ]) {
      const response = await rawRequest(h.server.url, { method: "GET", path, host: "attacker.example" });
      expect(response.status, path).toBe(421);
      expect(response.json.error.code, path).toBe("HOST_NOT_ALLOWED");
    }
  });

  it("refuses a request with no Host at all", async () => {
    const response = await rawRequest(h.server.url, {
      method: "GET",
      path: "/",
      rawHead: "GET /api/runs HTTP/1.0\r\n\r\n",
    });
    expect(response.status).toBe(421);
    expect(response.json.error.code).toBe("HOST_NOT_ALLOWED");
  });

  it("answers loopback names with any port", async () => {
    for (const host of [
      `127.0.0.1:${port(h.server)}`,
      `localhost:${port(h.server)}`,
      "LOCALHOST",
      `[::1]:${port(h.server)}`,
      "bosun.localhost:8080",
      "127.0.0.2",
    ]) {
      const response = await getRuns(host);
      expect(response.status, host).toBe(200);
    }
  });

  it("answers the configured public URL's host and allowed hosts, and nothing else", async () => {
    for (const host of [
      "bosun.example.com",
      "BOSUN.example.com:443",
      "bosun.internal:3000",
      "a.corp.example",
      "localhost",
    ])
      expect((await getRuns(host, configured)).status, host).toBe(200);
    for (const host of [
      "corp.example",
      "example.com",
      "bosun.example.com.attacker.example",
      "attacker.example",
    ])
      expect((await getRuns(host, configured)).status, host).toBe(421);
  });

  it("keeps liveness and readiness answering whatever the Host (probes may name a Service)", async () => {
    for (const path of ["/api/health", "/api/ready"]) {
      const response = await rawRequest(h.server.url, {
        method: "GET",
        path,
        host: "demo-bosun-webserver:3000",
      });
      expect(response.status, path).toBe(200);
    }
  });

  it("answers a Host that is an IP address (a browser sends one only to the server at that IP)", async () => {
    for (const host of ["10.1.2.3:3000", "[fd00::1]:3000"])
      expect((await getRuns(host)).status, host).toBe(200);
  });

  it("turns the check off with allowedHosts ['*']", async () => {
    const open = await h.startAnother({ allowedHosts: ["*"] });
    expect((await getRuns("attacker.example", open)).status).toBe(200);
  });
});

describe("Origin check on mutating calls", () => {
  it("refuses a launch from a foreign Origin with 403 and stores nothing", async () => {
    const before = await databaseFingerprint(h.db.databaseUrl);
    for (const origin of [
      "http://attacker.example",
      "null",
      "https://localhost.attacker.example",
      "file://",
    ]) {
      const response = await launch({ origin });
      expect(response.status, origin).toBe(403);
      expect(response.json.error.code, origin).toBe("ORIGIN_NOT_ALLOWED");
      expect(response.json.error.details.issues[0].field, origin).toBe("headers.origin");
    }
    const stop = await rawRequest(h.server.url, {
      method: "POST",
      path: "/api/schedules/main/hourly_sum/stop",
      headers: { origin: "http://attacker.example" },
    });
    expect(stop.status).toBe(403);
    expect(await databaseFingerprint(h.db.databaseUrl)).toEqual(before);
  });

  it("accepts a launch from a loopback page, the public URL's page, or a client that sends no Origin", async () => {
    expect((await launch({ origin: `http://localhost:${port(h.server)}` })).status).toBe(201);
    expect((await launch({ origin: "http://127.0.0.1:5173" })).status).toBe(201);
    expect((await launch({})).status).toBe(201);
    expect(
      (await launch({ origin: "https://bosun.example.com" }, "bosun.example.com", configured)).status,
    ).toBe(201);
    expect((await launch({ origin: "https://other.example" }, "bosun.example.com", configured)).status).toBe(
      403,
    );
  });

  it("lets a GET from a foreign Origin through when the Host is right (reads are not cross-site writes)", async () => {
    const response = await rawRequest(h.server.url, {
      method: "GET",
      path: "/api/runs",
      headers: { origin: "http://attacker.example" },
    });
    expect(response.status).toBe(200);
  });
});
