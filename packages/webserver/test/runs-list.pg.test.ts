import { randomUUID } from "node:crypto";
import type { RunStatus } from "@bosun/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWebserverHarness, type WebserverHarness } from "./support/webserver-harness.ts";

const RUNS = 300;
const STATUSES: RunStatus[] = ["QUEUED", "SUCCESS", "FAILURE"];

let h: WebserverHarness;
beforeAll(async () => {
  h = await startWebserverHarness();
  for (let batch = 0; batch < RUNS; batch += 50) {
    await Promise.all(
      Array.from({ length: 50 }, (_, j) => batch + j).map((i) =>
        h.db.storage.runs.createRun({
          runId: randomUUID(),
          jobName: i % 2 === 0 ? "even_job" : "odd_job",
          status: STATUSES[i % 3]!,
          tags: { shard: String(i % 3), parity: i % 2 === 0 ? "even" : "odd", index: String(i) },
        }),
      ),
    );
  }
});
afterAll(() => h?.close());

interface RunRow {
  runId: string;
  createdAt: string;
  tags: Record<string, string>;
  status: string;
  jobName: string;
}

async function allPages(
  query: string,
  limit: number,
  between?: (page: number) => Promise<void>,
): Promise<RunRow[]> {
  const runs: RunRow[] = [];
  let cursor: string | null = null;
  for (let page = 0; ; page++) {
    const url: string = `/api/runs?limit=${limit}${query ? `&${query}` : ""}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const response: { status: number; body: { runs: RunRow[]; nextCursor: string | null } } = await h.api(
      "GET",
      url,
    );
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    runs.push(...response.body.runs);
    cursor = response.body.nextCursor;
    if (!cursor) return runs;
    await between?.(page);
  }
}

describe("runs list", () => {
  it("pages through every run newest first, without duplicates, even while new runs arrive", async () => {
    const runs = await allPages("", 37, async (page) => {
      if (page === 0)
        await Promise.all(
          Array.from({ length: 10 }, () =>
            h.db.storage.runs.createRun({
              runId: randomUUID(),
              jobName: "late_job",
              status: "QUEUED",
              tags: {},
            }),
          ),
        );
    });
    const ids = runs.map((r) => r.runId);
    expect(new Set(ids).size).toBe(ids.length);
    // The late runs are newer than the cursor, so they do not slip into later pages.
    expect(runs.filter((r) => r.jobName === "late_job")).toEqual([]);
    expect(runs).toHaveLength(RUNS);
    const order = runs.map((r) => [Date.parse(r.createdAt), r.runId] as const);
    for (let i = 1; i < order.length; i++) {
      const [t0, id0] = order[i - 1]!;
      const [t1, id1] = order[i]!;
      expect(t0 > t1 || (t0 === t1 && id0 > id1)).toBe(true);
    }
  });

  it("filters by tag (every given tag must match), status (any of) and job", async () => {
    const shard1 = await allPages("tag=shard%3D1", 100);
    expect(shard1).toHaveLength(100);
    expect(shard1.every((r) => r.tags.shard === "1")).toBe(true);
    const both = await allPages("tag=shard%3D1&tag=parity%3Deven", 100);
    expect(both).toHaveLength(50);
    expect(both.every((r) => r.tags.shard === "1" && r.tags.parity === "even")).toBe(true);
    const statuses = await allPages("status=SUCCESS&status=FAILURE&job=odd_job", 100);
    expect(statuses).toHaveLength(100);
    expect(statuses.every((r) => r.status !== "QUEUED" && r.jobName === "odd_job")).toBe(true);
    const oneStatus = await allPages("status=FAILURE", 1000);
    expect(oneStatus).toHaveLength(100);
    const withEquals = await allPages("tag=index%3D7", 10);
    expect(withEquals.map((r) => r.tags.index)).toEqual(["7"]);
  });

  it("filters by creation time", async () => {
    const all = await allPages("job=even_job", 1000);
    const middle = all[Math.floor(all.length / 2)]!;
    const after = await allPages(`job=even_job&createdAfter=${encodeURIComponent(middle.createdAt)}`, 1000);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((r) => Date.parse(r.createdAt) > Date.parse(middle.createdAt))).toBe(true);
    const before = await allPages(`job=even_job&createdBefore=${encodeURIComponent(middle.createdAt)}`, 1000);
    expect(before.every((r) => Date.parse(r.createdAt) < Date.parse(middle.createdAt))).toBe(true);
    expect(after.length + before.length).toBeLessThanOrEqual(all.length);
  });

  it("answers bad filters and cursors with 400 naming the field", async () => {
    const cases: [string, string][] = [
      ["/api/runs?status=DONE", "query.status[0]"],
      ["/api/runs?tag=novalue", "query.tag[0]"],
      ["/api/runs?createdAfter=yesterday", "query.createdAfter"],
      ["/api/runs?limit=5000", "query.limit"],
      ["/api/runs?cursor=bm9wZQ", "query.cursor"],
      ["/api/runs?jobs=x", "query.jobs"],
      ["/api/runs?tag=a%3D1&tag=a%3D2", "query.tag[1]"],
    ];
    for (const [url, field] of cases) {
      const response = await h.api("GET", url);
      expect(response.status, url).toBe(400);
      expect(
        response.body.error.details.issues.map((i: { field: string }) => i.field),
        url,
      ).toContain(field);
    }
    const misspelt = await h.api("GET", "/api/runs?jobs=x");
    expect(misspelt.body.error.details.issues[0].message).toContain('did you mean "job"?');
  });
});
