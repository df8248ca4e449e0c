import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type KubeSim, startKubeSim } from "../src/index.ts";
import { uniqueName } from "./support.ts";

// Pods are real processes; leave room for a loaded 2-core machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

/** HTTP-level behaviour of the API server (no kubelet needed). */
let sim: KubeSim;

beforeAll(async () => {
  sim = await startKubeSim({ kubelet: false, bookmarkIntervalMs: 200 });
});

afterAll(async () => {
  await sim?.stop();
});

async function call(method: string, path: string, body?: unknown, contentType = "application/json") {
  const response = await fetch(`${sim.server}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${sim.token}`,
      ...(body === undefined ? {} : { "Content-Type": contentType }),
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

/** Reads watch events until `until` returns true or the time runs out. */
async function watchEvents(
  path: string,
  until: (events: any[]) => boolean,
  timeoutMs = 5000,
): Promise<any[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const events: any[] = [];
  try {
    const response = await fetch(`${sim.server}${path}`, {
      headers: { Authorization: `Bearer ${sim.token}` },
      signal: controller.signal,
    });
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of response.body! as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let newline = buffer.indexOf("\n");
      while (newline >= 0) {
        events.push(JSON.parse(buffer.slice(0, newline)));
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf("\n");
      }
      if (until(events)) break;
    }
  } catch (error) {
    if ((error as Error).name !== "AbortError") throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

describe("kube-sim API server over HTTP", () => {
  it("serves discovery for kubectl and helm", async () => {
    expect((await call("GET", "/version")).body.major).toBe("1");
    expect((await call("GET", "/api")).body.versions).toEqual(["v1"]);
    const groups = (await call("GET", "/apis")).body.groups.map((g: any) => g.name);
    expect(groups).toEqual(
      expect.arrayContaining(["apps", "batch", "rbac.authorization.k8s.io", "networking.k8s.io"]),
    );
    const batch = (await call("GET", "/apis/batch/v1")).body;
    expect(batch.resources.map((r: any) => r.name)).toEqual(expect.arrayContaining(["jobs", "jobs/status"]));
  });

  it("answers with real Status bodies: 404 NotFound, 409 AlreadyExists, 401 for a wrong token", async () => {
    const missing = await call("GET", "/api/v1/namespaces/default/pods/nope");
    expect(missing).toEqual({
      status: 404,
      body: {
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: 'pods "nope" not found',
        reason: "NotFound",
        details: { name: "nope", group: "", kind: "pods" },
        code: 404,
      },
    });
    const name = uniqueName("cm");
    expect((await call("POST", "/api/v1/namespaces/default/configmaps", { metadata: { name } })).status).toBe(
      201,
    );
    const again = await call("POST", "/api/v1/namespaces/default/configmaps", { metadata: { name } });
    expect(again.status).toBe(409);
    expect(again.body.reason).toBe("AlreadyExists");
    const wrong = await fetch(`${sim.server}/api/v1/namespaces`, {
      headers: { Authorization: "Bearer wrong" },
    });
    expect(wrong.status).toBe(401);
  });

  it("lists with label selectors and pages with limit/continue", async () => {
    const ns = uniqueName("list");
    await call("POST", "/api/v1/namespaces", { metadata: { name: ns } });
    for (const [i, tier] of ["a", "b", "c"].entries())
      await call("POST", `/api/v1/namespaces/${ns}/configmaps`, {
        metadata: { name: `c${i}`, labels: { tier } },
      });
    const selected = await call(
      "GET",
      `/api/v1/namespaces/${ns}/configmaps?labelSelector=${encodeURIComponent("tier notin (b),tier")}`,
    );
    expect(selected.body.items.map((i: any) => i.metadata.name)).toEqual(["c0", "c2"]);
    const page1 = await call("GET", `/api/v1/namespaces/${ns}/configmaps?limit=2`);
    expect(page1.body.items).toHaveLength(2);
    const page2 = await call(
      "GET",
      `/api/v1/namespaces/${ns}/configmaps?limit=2&continue=${page1.body.metadata.continue}`,
    );
    expect(page2.body.items.map((i: any) => i.metadata.name)).toEqual(["c2", "kube-root-ca.crt"]);
    expect(page2.body.metadata.continue).toBeUndefined();
  });

  it("watches from a resourceVersion, sends BOOKMARKs, and answers 410 Gone for a compacted version", async () => {
    const ns = uniqueName("watch");
    await call("POST", "/api/v1/namespaces", { metadata: { name: ns } });
    const created = await call("POST", `/api/v1/namespaces/${ns}/configmaps`, {
      metadata: { name: "w" },
      data: { v: "1" },
    });
    const rv = created.body.metadata.resourceVersion;
    await call(
      "PATCH",
      `/api/v1/namespaces/${ns}/configmaps/w`,
      { data: { v: "2" } },
      "application/merge-patch+json",
    );
    await call("DELETE", `/api/v1/namespaces/${ns}/configmaps/w`);
    const events = await watchEvents(
      `/api/v1/namespaces/${ns}/configmaps?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}`,
      (e) => e.some((x) => x.type === "BOOKMARK"),
    );
    expect(events.map((e) => e.type)).toEqual(["MODIFIED", "DELETED", "BOOKMARK"]);
    expect(events[0].object.data).toEqual({ v: "2" });
  });

  it("answers a watch from a compacted resourceVersion with an ERROR event carrying 410 Expired", async () => {
    const small = await startKubeSim({ kubelet: false, watchHistory: 20 });
    try {
      const first = await fetch(`${small.server}/api/v1/namespaces/default/configmaps`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ metadata: { name: "first" } }),
      });
      const rv = ((await first.json()) as any).metadata.resourceVersion;
      for (let i = 0; i < 30; i++) {
        await fetch(`${small.server}/api/v1/namespaces/default/configmaps`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ metadata: { name: `c${i}` } }),
        });
      }
      const response = await fetch(
        `${small.server}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`,
      );
      const text = await response.text();
      const event = JSON.parse(text.trim());
      expect(event.type).toBe("ERROR");
      expect(event.object).toMatchObject({ kind: "Status", code: 410, reason: "Expired" });
    } finally {
      await small.stop();
    }
  });

  it("rejects a stale update with 409 Conflict", async () => {
    const ns = uniqueName("conflict");
    await call("POST", "/api/v1/namespaces", { metadata: { name: ns } });
    const created = (
      await call("POST", `/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: "c" }, data: { a: "1" } })
    ).body;
    expect(
      (await call("PUT", `/api/v1/namespaces/${ns}/configmaps/c`, { ...created, data: { a: "2" } })).status,
    ).toBe(200);
    const stale = await call("PUT", `/api/v1/namespaces/${ns}/configmaps/c`, {
      ...created,
      data: { a: "3" },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.message).toContain("the object has been modified");
  });
});
