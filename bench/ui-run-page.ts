/**
 * The web UI in Chromium, on a throwaway instance (embedded PostgreSQL) and the real webserver:
 *
 * 1. Run page with 10,000 events: time from navigation to first render (header and first event rows), and
 *    to all 10,000 events held, cold (first visit) and warm (median of repeats); floor: the same page for a
 *    run with 10 events. Then scrolling the event log end to end: frames and their worst duration.
 * 2. Runs page with 100,000 runs: first page render, the API's first and a deep page, 50 rows in the DOM.
 * 3. Bundle size: every file of packages/ui/dist, gzip sizes, and what the first page load needs.
 *
 *   npx tsx bench/ui-run-page.ts [--events 10000] [--runs 100000] [--repeats 5]
 *
 * Goal: run page first render <= 1 s on this machine.
 */
/// <reference lib="dom" />
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import type { Workspace } from "@bosun/code-server";
import type { NewEvent } from "@bosun/core";
import type { BosunStorage } from "@bosun/storage";
import { ensureUiBuilt, openBrowser, UI_DIST } from "@bosun/test-support";
import { startWebserver } from "@bosun/webserver";
import { fmt, median, withScratchInstance } from "./bench-support.ts";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "10000" },
    runs: { type: "string", default: "100000" },
    repeats: { type: "string", default: "5" },
  },
});
const EVENTS = Number(values.events);
const RUNS = Number(values.runs);
const REPEATS = Number(values.repeats);

/** A finished run with `count` events: steps that start, log, and succeed, as a busy job would write. */
async function seedRun(storage: BosunStorage, count: number): Promise<string> {
  const runId = randomUUID();
  await storage.runs.createRun({ runId, jobName: "busy_job", status: "QUEUED", codeLocation: null });
  const t0 = Date.now() - 120_000;
  const events: NewEvent[] = [];
  const push = (e: Omit<NewEvent, "runId" | "timestamp"> & { at: number }) => {
    const { at, ...rest } = e;
    events.push({ ...rest, runId, timestamp: t0 + at } as NewEvent);
  };
  push({ type: "RUN_STARTING", stepKey: null, level: "info", message: "starting", data: {}, at: 0 });
  push({ type: "RUN_START", stepKey: null, level: "info", message: "started", data: {}, at: 10 });
  const steps = Math.max(1, Math.min(50, Math.floor((count - 3) / 3)));
  const perStep = Math.floor((count - 3) / steps) - 2;
  for (let s = 0; s < steps; s++) {
    const key = `step_${String(s).padStart(2, "0")}`;
    const start = 20 + (s % 8) * 40 + Math.floor(s / 8) * 1500;
    push({
      type: "STEP_START",
      stepKey: key,
      level: "info",
      message: `Started ${key}`,
      data: { attempt: 1 },
      at: start,
    });
    for (let i = 0; i < perStep; i++)
      push({
        type: "LOG_MESSAGE",
        stepKey: key,
        level: i % 97 === 0 ? "warning" : "info",
        message: `${key} processed batch ${i} of ${perStep} (rows ${i * 500}-${i * 500 + 499})`,
        data: {},
        at: start + 1 + Math.floor((i / perStep) * 1200),
      });
    push({
      type: "STEP_SUCCESS",
      stepKey: key,
      level: "info",
      message: `Finished ${key}`,
      data: { durationMs: 1250 },
      at: start + 1250,
    });
  }
  while (events.length < count - 1)
    push({ type: "ENGINE_EVENT", stepKey: null, level: "debug", message: "filler", data: {}, at: 30_000 });
  push({ type: "RUN_SUCCESS", stepKey: null, level: "info", message: "Run succeeded", data: {}, at: 31_000 });
  for (let i = 0; i < events.length; i += 1000) await storage.events.appendEvents(events.slice(i, i + 1000));
  return runId;
}

async function seedRuns(storage: BosunStorage, count: number): Promise<number> {
  const start = performance.now();
  const statuses = ["SUCCESS", "FAILURE", "CANCELED", "QUEUED"] as const;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await storage.runs.createRun({
        runId: randomUUID(),
        jobName: `job_${i % 20}`,
        status: statuses[i % statuses.length]!,
        tags: { team: `team_${i % 7}`, batch: String(Math.floor(i / 1000)) },
      });
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return performance.now() - start;
}

function bundleReport() {
  const files: { name: string; bytes: number; gzip: number }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else {
        const data = readFileSync(full);
        files.push({ name: path.relative(UI_DIST, full), bytes: data.length, gzip: gzipSync(data).length });
      }
    }
  };
  walk(UI_DIST);
  const html = readFileSync(path.join(UI_DIST, "index.html"), "utf8");
  const initial = files.filter((f) => f.name === "index.html" || html.includes(f.name));
  return { files: files.sort((a, b) => b.bytes - a.bytes), initial };
}

const kib = (n: number) => `${fmt(n / 1024, 1)} KiB`;

await ensureUiBuilt();
await withScratchInstance(async (instance) => {
  const storage = instance.storage;
  const small = await seedRun(storage, 10);
  const seedStart = performance.now();
  const big = await seedRun(storage, EVENTS);
  console.log(`seeded a run with ${EVENTS} events in ${fmt((performance.now() - seedStart) / 1000)} s`);
  const runsMs = await seedRuns(storage, RUNS);
  console.log(`seeded ${RUNS} runs in ${fmt(runsMs / 1000)} s`);

  // No code locations: the pages measured read runs and events only.
  const workspace: Workspace = {
    list: () => [],
    get: () => undefined,
    client: () => {
      throw new Error("no code locations in this bench");
    },
    reload: () => Promise.reject(new Error("no code locations in this bench")),
    onChange: () => () => {},
    close: async () => {},
  };
  const server = await startWebserver({ storage, workspace, port: 0, uiDirectory: UI_DIST });
  const browser = await openBrowser();
  try {
    /** ms from navigation start until the run page shows its header and event rows, and until all events are in. */
    const measureRunPage = async (runId: string, expected: number) => {
      const page = await browser.newPage();
      await page.goto(`${server.url}/runs/${runId}`, { waitUntil: "commit" });
      const first = await page.waitForFunction(
        () =>
          document.querySelector("h1 [data-status]") && document.querySelector(".vlist .event-row")
            ? performance.now()
            : null,
        undefined,
        { polling: "raf", timeout: 30_000 },
      );
      const firstMs = (await first.jsonValue()) as number;
      const all = await page.waitForFunction(
        (n) =>
          document.querySelector("#events-title .count")?.textContent === String(n)
            ? performance.now()
            : null,
        expected,
        { polling: "raf", timeout: 60_000 },
      );
      const allMs = (await all.jsonValue()) as number;
      return { page, firstMs, allMs };
    };

    const floorRuns = [];
    for (let i = 0; i < REPEATS; i++) {
      const m = await measureRunPage(small, 10);
      floorRuns.push(m.firstMs);
      await m.page.close();
    }
    const cold = await measureRunPage(big, EVENTS);
    await cold.page.close();
    const warmFirst: number[] = [];
    const warmAll: number[] = [];
    let scroll = { frames: 0, worstMs: 0, medianMs: 0, rowsInDom: 0 };
    for (let i = 0; i < REPEATS; i++) {
      const m = await measureRunPage(big, EVENTS);
      warmFirst.push(m.firstMs);
      warmAll.push(m.allMs);
      if (i === REPEATS - 1) {
        // Scroll the event log from top to bottom over 120 frames; measure each frame.
        scroll = await m.page.evaluate(async () => {
          const list = document.querySelector(".vlist") as HTMLElement;
          list.scrollTop = 0;
          const times: number[] = [];
          let last = performance.now();
          for (let f = 1; f <= 120; f++) {
            list.scrollTop = (list.scrollHeight * f) / 120;
            await new Promise((resolve) => requestAnimationFrame(resolve));
            const now = performance.now();
            times.push(now - last);
            last = now;
          }
          times.sort((a, b) => a - b);
          return {
            frames: times.length,
            worstMs: times.at(-1) ?? 0,
            medianMs: times[Math.floor(times.length / 2)] ?? 0,
            rowsInDom: document.querySelectorAll(".vlist .event-row").length,
          };
        });
      }
      await m.page.close();
    }

    // Runs page over 100,000 runs.
    const runsPage = await browser.newPage();
    await runsPage.goto(`${server.url}/runs`, { waitUntil: "commit" });
    const runsFirst = (await (
      await runsPage.waitForFunction(
        () => (document.querySelectorAll("tr[data-run-id]").length > 0 ? performance.now() : null),
        undefined,
        {
          polling: "raf",
          timeout: 30_000,
        },
      )
    ).jsonValue()) as number;
    const rowsShown = await runsPage.locator("tr[data-run-id]").count();
    const olderEnabled = await runsPage.getByRole("button", { name: "Older →" }).isEnabled();
    await runsPage.close();
    const apiTimes: number[] = [];
    let cursor: string | null = null;
    for (let p = 0; p < 20; p++) {
      const t = performance.now();
      const response = await fetch(
        `${server.url}/api/runs?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      const body = (await response.json()) as { nextCursor: string | null };
      apiTimes.push(performance.now() - t);
      cursor = body.nextCursor;
    }
    const filtered = performance.now();
    await fetch(`${server.url}/api/runs?limit=50&status=FAILURE&tag=team=team_3`).then((r) => r.json());
    const filteredMs = performance.now() - filtered;

    const floor = median(floorRuns);
    console.log("\nRun page (Chromium, time from navigation start)");
    console.log(`  floor: run with 10 events, first render     ${fmt(floor, 0)} ms (median of ${REPEATS})`);
    console.log(
      `  ${EVENTS} events, cold first render            ${fmt(cold.firstMs, 0)} ms; all events in ${fmt(cold.allMs, 0)} ms`,
    );
    console.log(
      `  ${EVENTS} events, warm first render            ${fmt(median(warmFirst), 0)} ms (median of ${REPEATS}); all events in ${fmt(median(warmAll), 0)} ms`,
    );
    console.log(`  ratio to floor (warm first render)          ${fmt(median(warmFirst) / floor)}x`);
    console.log(
      `  goal <= 1000 ms first render                 ${Math.max(cold.firstMs, median(warmFirst)) <= 1000 ? "met" : "NOT met"}`,
    );
    console.log(
      `  scrolling the log end to end: ${scroll.frames} frames, median ${fmt(scroll.medianMs, 1)} ms, worst ${fmt(scroll.worstMs, 1)} ms; ${scroll.rowsInDom} rows in the DOM`,
    );
    console.log(`\nRuns page with ${RUNS} runs`);
    console.log(
      `  first render ${fmt(runsFirst, 0)} ms; ${rowsShown} rows shown; "Older" enabled: ${olderEnabled}`,
    );
    console.log(
      `  API page of 50: first ${fmt(apiTimes[0]!, 1)} ms, 20th (deep cursor) ${fmt(apiTimes[19]!, 1)} ms, median ${fmt(median(apiTimes), 1)} ms; filtered (status + tag) ${fmt(filteredMs, 1)} ms`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
});

const bundle = bundleReport();
const total = bundle.files.reduce((n, f) => n + f.bytes, 0);
const totalGz = bundle.files.reduce((n, f) => n + f.gzip, 0);
console.log("\nUI bundle (packages/ui/dist)");
for (const f of bundle.files)
  console.log(`  ${f.name.padEnd(46)} ${kib(f.bytes).padStart(12)} ${kib(f.gzip).padStart(12)} gzip`);
console.log(`  total ${kib(total)} (${kib(totalGz)} gzip)`);
console.log(
  `  first load (index.html + entry chunk + CSS): ${kib(bundle.initial.reduce((n, f) => n + f.bytes, 0))} (${kib(bundle.initial.reduce((n, f) => n + f.gzip, 0))} gzip)`,
);
