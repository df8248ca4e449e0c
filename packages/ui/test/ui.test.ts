/// <reference lib="dom" />
/**
 * The web UI in headless Chromium against the real webserver, daemon and code servers (see harness.ts):
 * the quickstart example, a fixture location with a failing job, and a location that fails to load.
 */

import { randomUUID } from "node:crypto";
import { mkdir, stat } from "node:fs/promises";
import path from "node:path";
import type { NewEvent } from "@bosun/core";
import { systemSuiteMissing } from "@bosun/test-support";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Browser,
  openBrowser,
  SCREENSHOT_DIR,
  type ServerProcess,
  startUiHarness,
  type UiHarness,
} from "./harness.ts";

interface RunBody {
  run: { runId: string; status: string };
}

/** Tests wait for real runs (a worker process each): generous on a busy two-core machine. */
const RUN_TEST_TIMEOUT = 180_000;
/** expect.poll gives up after a second by default; a page's first requests take longer on a busy machine. */
const PAGE_POLL = { timeout: 30_000 };

let harness: UiHarness;
let browser: Browser;
let page: Page;
/** Runs made by earlier tests, reused by later ones (the file runs its tests in order). */
const runs: { numbers?: string; failed?: string; flaky?: string } = {};

const missing = await systemSuiteMissing("chromium");
describe.skipIf(missing !== "")(
  `the web UI in Chromium against bosun dev${missing && ` (skipped: ${missing})`}`,
  () => {
    beforeAll(async () => {
      harness = await startUiHarness();
      browser = await openBrowser();
      page = await browser.newPage();
      page.setDefaultTimeout(45_000);
    }, 300_000);

    afterAll(async () => {
      await browser?.close();
      await harness?.close();
    }, 60_000);

    async function launch(body: Record<string, unknown>): Promise<string> {
      const response = await harness.api<RunBody>("POST", "/api/runs", body);
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      return response.body.run.runId;
    }

    async function countRuns(): Promise<number> {
      const { body } = await harness.api<{ runs: unknown[] }>("GET", "/api/runs?limit=1000");
      return body.runs.length;
    }

    describe("launching", () => {
      it(
        "launches numbers_job from the launchpad and shows it go from queued to success without a reload",
        async () => {
          await page.goto(`${harness.url}/locations/quickstart/jobs/numbers_job?tab=launchpad`);
          const editor = page.getByLabel("Run config (YAML)");
          await expect.poll(() => editor.inputValue()).toContain("count: 5");
          // A marker that a full page load would wipe out, and a recorder of every status the header shows.
          await page.evaluate(() => {
            const w = window as unknown as { reloadMarker: number; statuses: string[] };
            w.reloadMarker = 42;
            w.statuses = [];
            new MutationObserver(() => {
              const status = document.querySelector("h1 [data-status]")?.getAttribute("data-status");
              if (status && w.statuses.at(-1) !== status) w.statuses.push(status);
            }).observe(document.body, { subtree: true, childList: true, attributes: true });
          });
          await page.getByRole("button", { name: "Launch run" }).click();
          await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/).catch(async (error: Error) => {
            const shown = await page.locator("[role=alert]").allTextContents();
            throw new Error(`${error.message}\nthe page shows: ${JSON.stringify(shown)}`);
          });
          runs.numbers = page.url().split("/").at(-1)!;
          await page.locator('h1 [data-status="SUCCESS"]').waitFor({ timeout: 90_000 });

          const seen = await page.evaluate(() => {
            const w = window as unknown as { reloadMarker: number; statuses: string[] };
            return { marker: w.reloadMarker, statuses: w.statuses };
          });
          expect(seen.marker).toBe(42);
          expect(seen.statuses[0]).toBe("QUEUED");
          expect(seen.statuses.at(-1)).toBe("SUCCESS");
          expect(seen.statuses.length).toBeGreaterThanOrEqual(3);
          // The timeline shows the retried step with both attempts, and the event log filled in live.
          await expect
            .poll(() => page.getByRole("button", { name: /^Step flaky_fetch: success, 2 attempts/ }).count())
            .toBe(1);
          const events = await page.locator("#events-title .count").textContent();
          expect(Number(events)).toBeGreaterThan(10);
        },
        RUN_TEST_TIMEOUT,
      );

      it(
        "shows inline errors for an invalid launchpad config and launches nothing",
        async () => {
          const before = await countRuns();
          await page.goto(`${harness.url}/locations/quickstart/jobs/numbers_job?tab=launchpad`);
          const editor = page.getByLabel("Run config (YAML)");
          await editor.fill("ops:\n  generate_numbers:\n    config:\n      count: -3\n  sum_off: {}\n");
          const problems = page.getByRole("list", { name: "Config problems" });
          await expect
            .poll(() => problems.textContent())
            .toContain("ops.generate_numbers.config.count: must be > 0");
          const text = (await problems.textContent()) ?? "";
          expect(text).toContain("Line 4");
          expect(text).toContain('ops.sum_off: unknown field; did you mean "sum_of"?');
          expect(await editor.getAttribute("aria-invalid")).toBe("true");

          await page.getByRole("button", { name: "Launch run" }).click();
          await page.getByText(/Fix 2 config problems to launch/).waitFor();
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          expect(page.url()).toContain("tab=launchpad");
          expect(await countRuns()).toBe(before);

          // Fixing the config clears the errors.
          await editor.fill("ops:\n  generate_numbers:\n    config:\n      count: 2\n");
          await expect.poll(() => problems.locator("li").count()).toBe(0);
        },
        RUN_TEST_TIMEOUT,
      );
    });

    describe("a failed run", () => {
      it(
        "shows the failure message and stack at the top, and the failing step's stderr",
        async () => {
          runs.failed = await launch({
            location: "ui_fixtures",
            job: "nightly_export",
            tags: { env: "staging" },
          });
          expect(await harness.waitForRunStatus(runs.failed, ["FAILURE", "SUCCESS"], 90_000)).toBe("FAILURE");
          await page.goto(`${harness.url}/runs/${runs.failed}`);
          const banner = page.locator(".failure-banner");
          await banner.waitFor();
          expect(await banner.textContent()).toContain("Run failed in step extract_orders");
          expect(await banner.textContent()).toContain("could not read table orders: connection refused");
          expect(await banner.locator("pre.stack").first().textContent()).toContain("ui-location.ts");

          await banner.getByRole("button", { name: "View stderr of extract_orders" }).click();
          const log = page.getByTestId("step-log");
          await expect
            .poll(() => log.textContent())
            .toContain("warehouse refused the connection (attempt 1 of 1)");
          expect(page.url()).toContain("stream=stderr");

          // The event log's filters: only error-level events of the failing step.
          await page.getByLabel("Level").selectOption("error");
          await expect.poll(() => page.locator("#events-title .count").textContent()).toMatch(/^\d+ of \d+$/);
          const rows = await page.locator(".vlist .event-row").allTextContents();
          expect(rows.length).toBeGreaterThan(0);
          expect(rows.some((r) => r.includes("STEP_FAILURE"))).toBe(true);
          expect(rows.every((r) => !r.includes("STEP_START"))).toBe(true);

          // Several event types at once, kept in the URL.
          await page.getByLabel("Level").selectOption("");
          await page.getByRole("button", { name: "All types" }).click();
          const typeList = page.getByRole("group", { name: "Event types shown" });
          await typeList.getByLabel("STEP_FAILURE", { exact: true }).check();
          await typeList.getByLabel("RUN_FAILURE", { exact: true }).check();
          await typeList.getByRole("button", { name: "Done" }).click();
          await expect
            .poll(async () => {
              const types = await page.locator(".vlist .event-row .etype").allTextContents();
              return [...new Set(types)].sort();
            })
            .toEqual(["RUN_FAILURE", "STEP_FAILURE"]);
          expect(new URL(page.url()).searchParams.getAll("type").sort()).toEqual([
            "RUN_FAILURE",
            "STEP_FAILURE",
          ]);
          await expect.poll(() => page.getByRole("button", { name: "2 types" }).count()).toBe(1);
        },
        RUN_TEST_TIMEOUT,
      );
    });

    describe("the runs list", () => {
      it(
        "filters by status and tag, and keeps the filters after a reload",
        async () => {
          expect(runs.failed && runs.numbers).toBeTruthy();
          const other = await launch({
            location: "ui_fixtures",
            job: "nightly_export",
            tags: { env: "production" },
          });
          await harness.waitForRunStatus(other, ["FAILURE", "SUCCESS"], 90_000);

          await page.goto(`${harness.url}/runs`);
          await page.locator(`tr[data-run-id="${runs.numbers}"]`).waitFor();
          await page.getByRole("button", { name: "Failure", exact: true }).click();
          await page.getByLabel("Tag", { exact: true }).fill("env=staging");
          await page.getByRole("button", { name: "Add tag filter" }).click();

          const shownRuns = () =>
            page
              .locator("tr[data-run-id]")
              .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-run-id")));
          await expect.poll(shownRuns).toEqual([runs.failed]);
          expect(page.url()).toContain("status=FAILURE");
          expect(page.url()).toContain("tag=env%3Dstaging");

          await page.reload();
          await expect.poll(shownRuns).toEqual([runs.failed]);
          expect(
            await page.getByRole("button", { name: "Failure", exact: true }).getAttribute("aria-pressed"),
          ).toBe("true");
          expect(await page.getByRole("list", { name: "Tag filters" }).textContent()).toContain(
            "env=staging",
          );

          // Removing the tag filter widens the list to both failed runs, never the successful one.
          await page.getByRole("button", { name: "Remove tag filter env=staging" }).click();
          await expect.poll(async () => (await shownRuns()).sort()).toEqual([runs.failed, other].sort());
        },
        RUN_TEST_TIMEOUT,
      );
    });

    describe("a step that failed on every attempt", () => {
      it(
        "opens the stderr of the attempt that failed from the failure banner, and each attempt on its own",
        async () => {
          runs.flaky = await launch({ location: "ui_fixtures", job: "flaky_upload" });
          expect(await harness.waitForRunStatus(runs.flaky, ["FAILURE", "SUCCESS"], 90_000)).toBe("FAILURE");
          await page.goto(`${harness.url}/runs/${runs.flaky}`);
          const banner = page.locator(".failure-banner");
          await banner.getByRole("button", { name: /^View stderr of upload_report \(attempt 2/ }).click();
          expect(new URL(page.url()).searchParams.get("attempt")).toBe("2");
          const log = page.getByTestId("step-log");
          await expect.poll(() => log.textContent(), PAGE_POLL).toBe("upload attempt 2 failed\n");

          const attempt = page.getByRole("combobox", { name: /^Attempt/ });
          await attempt.selectOption("1");
          await expect.poll(() => log.textContent(), PAGE_POLL).toBe("upload attempt 1 failed\n");
          await attempt.selectOption({ label: "All attempts" });
          await expect
            .poll(() => log.textContent(), PAGE_POLL)
            .toBe("upload attempt 1 failed\nupload attempt 2 failed\n");
        },
        RUN_TEST_TIMEOUT,
      );

      it(
        "shows the user's stack frames and folds the engine's behind a toggle",
        async () => {
          expect(runs.flaky).toBeTruthy();
          await page.goto(`${harness.url}/runs/${runs.flaky}`);
          const stack = page.locator(".failure-banner pre.stack").first();
          await stack.waitFor();
          const userFrames = (await stack.locator(".user-frames").allTextContents()).join("");
          expect(userFrames).toContain("at putObject");
          expect(userFrames).toContain("ui-location.ts");
          expect(userFrames).not.toContain("packages/bosun/");

          const engine = stack.locator("details.engine-frames").first();
          const summary = (await engine.locator("summary").textContent()) ?? "";
          expect(summary).toMatch(/^\d+ engine frames?$/);
          const folded = await engine.evaluate(
            (d) => d.textContent?.slice((d.querySelector("summary")?.textContent ?? "").length) ?? "",
          );
          expect(folded.split("\n").filter((l) => l.includes(" at ")).length).toBe(
            Number.parseInt(summary, 10),
          );
          expect(folded).toMatch(/packages\/bosun|node:internal/);
          expect(await engine.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
          await engine.locator("summary").click();
          expect(await engine.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
        },
        RUN_TEST_TIMEOUT,
      );

      it(
        "describes a retry policy in words on the op's details",
        async () => {
          await page.goto(`${harness.url}/locations/ui_fixtures/jobs/flaky_upload?op=upload_report`);
          const policy = page.locator(".kv > div", { hasText: "Retry policy" }).locator("dd");
          await expect
            .poll(() => policy.textContent(), PAGE_POLL)
            .toBe("up to 1 retry, 100 ms apart, exponential backoff (each wait twice the last)");
          await page.goto(`${harness.url}/locations/quickstart/jobs/numbers_job?op=flaky_fetch`);
          await expect.poll(() => policy.textContent(), PAGE_POLL).toBe("up to 2 retries, 200 ms apart");
        },
        RUN_TEST_TIMEOUT,
      );
    });

    describe("navigation and words", () => {
      it("marks Jobs, not Code locations, in the sidebar on a job's page", async () => {
        await page.goto(`${harness.url}/locations/quickstart/jobs/numbers_job`);
        const nav = page.getByRole("navigation", { name: "Main" });
        await expect
          .poll(() => nav.getByRole("link", { name: "Jobs" }).getAttribute("aria-current"), PAGE_POLL)
          .toBe("page");
        expect(
          await nav.getByRole("link", { name: "Code locations" }).getAttribute("aria-current"),
        ).toBeNull();
        expect(await nav.locator("[aria-current=page]").count()).toBe(1);
      });

      it(
        "names an asset materialization by its assets and its errors in the page's words, never its internal job or CLI flags",
        async () => {
          const id = await launch({ location: "quickstart", assetSelection: ["raw_orders"] });
          await harness.waitForRunStatus(id, ["SUCCESS", "FAILURE"], 90_000);
          const { body } = await harness.api<{ run: { jobName: string } }>("GET", `/api/runs/${id}`);
          // What this test hides from people is really there underneath.
          expect(body.run.jobName).toBe("__asset_job");

          await page.goto(`${harness.url}/runs/${id}`);
          await page.getByText("Materialization of").waitFor();
          await expect.poll(() => page.locator(".vlist .event-row").count(), PAGE_POLL).toBeGreaterThan(3);
          const runStart = page.getByRole("button", { name: /^RUN_START / });
          expect(await runStart.textContent()).toContain("materializing the selected assets");
          for (const url of [`/runs/${id}`, "/runs", "/"]) {
            await page.goto(`${harness.url}${url}`);
            await page.locator(`a[href="/runs/${id}"], h1`).first().waitFor();
            await page.waitForTimeout(300);
            expect(await page.locator("body").textContent(), url).not.toContain("__asset_job");
          }

          // A partitioned asset materialized without a partition: the server's CLI hint is not repeated.
          await page.goto(`${harness.url}/assets`);
          // A click, not check(): the selection lives in the URL, so the box is ticked once the router renders it.
          await page.getByLabel("Select daily_orders").click();
          await page.getByRole("button", { name: "Materialize selected (1)" }).click();
          const error = page.getByRole("alert").filter({ hasText: "Could not materialize" });
          await error.waitFor();
          const text = (await error.textContent()) ?? "";
          expect(text).toContain("choose a partition");
          expect(text).not.toContain("--");
          expect(text).not.toContain("__asset_job");
        },
        RUN_TEST_TIMEOUT,
      );
    });

    describe("schedules and code locations", () => {
      it(
        "turns a schedule on and off from the schedules page",
        async () => {
          await page.goto(`${harness.url}/automation`);
          const off = page.getByRole("switch", { name: "hourly_numbers schedule stopped" });
          await off.waitFor();
          await off.click({ force: true });
          await page.getByRole("switch", { name: "hourly_numbers schedule running" }).waitFor();
          const status = async () => {
            const { body } = await harness.api<{
              schedules: { name: string; status: string; nextTickAt: string | null }[];
            }>("GET", "/api/schedules");
            return body.schedules.find((s) => s.name === "hourly_numbers");
          };
          await expect.poll(async () => (await status())?.status).toBe("RUNNING");
          expect((await status())?.nextTickAt).not.toBeNull();

          await page.reload();
          const on = page.getByRole("switch", { name: "hourly_numbers schedule running" });
          await on.waitFor();
          await on.click({ force: true });
          await expect.poll(async () => (await status())?.status).toBe("STOPPED");
        },
        RUN_TEST_TIMEOUT,
      );

      it(
        "shows a sensor's tick history: the failed tick's error, and the run a tick requested",
        async () => {
          await page.goto(`${harness.url}/automation`);
          for (const name of ["new_orders_sensor", "orders_drop_sensor"])
            await page.getByRole("switch", { name: `${name} sensor stopped` }).click({ force: true });
          const ticksOf = async (name: string) => {
            const { body } = await harness.api<{ ticks: { status: string; runIds: string[] }[] }>(
              "GET",
              `/api/sensors/ui_fixtures/${name}/ticks`,
            );
            return body.ticks;
          };
          await expect
            .poll(async () => (await ticksOf("orders_drop_sensor")).length, { timeout: 60_000 })
            .toBeGreaterThan(0);
          await expect
            .poll(async () => (await ticksOf("new_orders_sensor")).some((t) => t.runIds.length > 0), {
              timeout: 60_000,
            })
            .toBe(true);
          // Turn them off again from the UI, then read their histories.
          // One at a time: a click while the page re-renders after the previous toggle can be lost.
          for (const name of ["new_orders_sensor", "orders_drop_sensor"]) {
            await page.getByRole("switch", { name: `${name} sensor running` }).click({ force: true });
            await page.getByRole("switch", { name: `${name} sensor stopped` }).waitFor();
          }

          await page.goto(`${harness.url}/automation/sensor/ui_fixtures/orders_drop_sensor`);
          const history = page.locator("section", {
            has: page.getByRole("heading", { name: "Tick history" }),
          });
          // The page fetches the history after it renders: more than the default second on a busy machine.
          await expect
            .poll(() => history.textContent(), PAGE_POLL)
            .toContain("could not list s3://orders-drop: access denied");
          expect(await history.locator(".badge", { hasText: "failure" }).count()).toBeGreaterThan(0);

          await page.goto(`${harness.url}/automation/sensor/ui_fixtures/new_orders_sensor`);
          const requested = (await ticksOf("new_orders_sensor")).find((t) => t.runIds.length > 0)!.runIds[0]!;
          await page.getByRole("link", { name: requested.slice(0, 8) }).click();
          await page.waitForURL(`**/runs/${requested}`);
          await page.getByText("parallel_load", { exact: true }).first().waitFor();
        },
        RUN_TEST_TIMEOUT,
      );

      it(
        "says what launched a run: the sensor, linked to its page, or a user",
        async () => {
          const { body } = await harness.api<{ runs: { runId: string }[] }>(
            "GET",
            `/api/runs?${new URLSearchParams({ tag: "bosun/sensor_name=new_orders_sensor" })}`,
          );
          const requested = body.runs[0]?.runId;
          expect(requested).toBeTruthy();
          await page.goto(`${harness.url}/runs/${requested}`);
          const launchedBy = page.getByTestId("launched-by");
          await expect.poll(() => launchedBy.textContent(), PAGE_POLL).toBe("Sensor new_orders_sensor");
          // The tags Bosun set are listed under what they mean.
          const systemTags = (await page.locator("dl[aria-label='System tags']").textContent()) ?? "";
          expect(systemTags).toContain("Sensor");
          expect(systemTags).toContain("Run key");
          await launchedBy.getByRole("link", { name: "new_orders_sensor" }).click();
          await page.waitForURL("**/automation/sensor/ui_fixtures/new_orders_sensor");

          await page.goto(`${harness.url}/runs/${runs.failed}`);
          await expect.poll(() => page.getByTestId("launched-by").textContent(), PAGE_POLL).toBe("A user");
        },
        RUN_TEST_TIMEOUT,
      );

      it(
        "says what launched each run in the runs table, linked to the sensor or the re-executed run",
        async () => {
          const { body } = await harness.api<{ runs: { runId: string }[] }>(
            "GET",
            `/api/runs?${new URLSearchParams({ tag: "bosun/sensor_name=new_orders_sensor" })}`,
          );
          const bySensor = body.runs[0]!.runId;
          const reexecution = await harness.api<RunBody>("POST", `/api/runs/${runs.numbers}/reexecute`, {
            mode: "all",
          });
          expect(reexecution.status, JSON.stringify(reexecution.body)).toBe(201);
          const child = reexecution.body.run.runId;

          await page.goto(`${harness.url}/runs`);
          const cell = (runId: string) => page.locator(`tr[data-run-id="${runId}"] td.launched-by-cell`);
          await expect
            .poll(() => cell(child).textContent(), PAGE_POLL)
            .toBe(`Re-execution of ${runs.numbers!.slice(0, 8)}`);
          expect(await cell(bySensor).textContent()).toBe("Sensor new_orders_sensor");
          expect(await cell(runs.failed!).textContent()).toBe("A user");
          // Bosun's own tags are not repeated among the run's tags.
          expect(
            await page.locator(`tr[data-run-id="${bySensor}"] td.tags-cell`).textContent(),
          ).not.toContain("bosun/");

          await cell(bySensor).getByRole("link", { name: "new_orders_sensor" }).click();
          await page.waitForURL("**/automation/sensor/ui_fixtures/new_orders_sensor");
          await page.goBack();
          await cell(child).getByRole("link").click();
          await page.waitForURL(`**/runs/${runs.numbers}`);
        },
        RUN_TEST_TIMEOUT,
      );

      it(
        "shows a broken location's load error with its stack, while the others load",
        async () => {
          await page.goto(`${harness.url}/locations`);
          const card = page.locator("section.location", {
            has: page.getByRole("heading", { name: /warehouse_sync/ }),
          });
          await card.waitFor();
          await expect
            .poll(() => card.textContent())
            .toContain("catalog service unreachable: getaddrinfo ENOTFOUND catalog.internal");
          expect((await card.locator("pre.stack").allTextContents()).join("\n")).toContain(
            "broken-location.ts",
          );
          expect(await page.locator("section.location").count()).toBe(4);
          const loaded = await page.locator("section.location .badge", { hasText: "loaded" }).count();
          expect(loaded).toBe(2);
        },
        RUN_TEST_TIMEOUT,
      );

      it(
        "shows a location whose op misspells a bosun-k8s/config key as a load error; launches nothing of it, nor a run whose tag misspells one",
        async () => {
          await page.goto(`${harness.url}/locations`);
          const card = page.locator("section.location", {
            has: page.getByRole("heading", { name: /compaction/ }),
          });
          await card.waitFor();
          await expect
            .poll(() => card.textContent())
            .toContain(
              'op "compact" tag bosun-k8s/config: `pod_spec_config.nodeSelectr`: unknown field; did you mean `nodeSelector`?',
            );
          expect(await card.locator(".badge").textContent()).toBe("error");
          const before = await countRuns();
          const launch = await harness.api<{ error: { code: string; message: string } }>(
            "POST",
            "/api/runs",
            {
              location: "compaction",
              job: "nightly_compaction",
            },
          );
          expect(launch.status).toBe(422);
          expect(launch.body.error.message).toContain("did you mean `nodeSelector`?");
          // A misspelt key in a tag given at launch is refused too, by the plugin's check in `bosun dev`.
          const tagged = await harness.api<{ error: { code: string; message: string } }>(
            "POST",
            "/api/runs",
            {
              location: "quickstart",
              job: "numbers_job",
              tags: { "bosun-k8s/config": '{"container_config":{"resourcs":{}}}' },
            },
          );
          expect(tagged.status).toBe(400);
          expect(tagged.body.error.message).toBe(
            'body.tags["bosun-k8s/config"]: `container_config.resourcs`: unknown field; did you mean `resources`?',
          );
          expect(await countRuns()).toBe(before);
        },
        RUN_TEST_TIMEOUT,
      );
    });

    describe("product behaviour", () => {
      it(
        "hides launching, terminating and toggling on a read-only webserver",
        async () => {
          const readOnly = await harness.startWebserver({ readOnly: true });
          const ro = await browser.newPage();
          try {
            await ro.goto(`${readOnly.url}/locations/quickstart/jobs/numbers_job?tab=launchpad`);
            await ro.getByText("This webserver is read-only").waitFor();
            await ro.getByRole("tab", { name: "Op graph" }).waitFor();
            expect(await ro.getByRole("tab", { name: "Launchpad" }).count()).toBe(0);
            expect(await ro.getByLabel("Run config (YAML)").count()).toBe(0);
            await ro.goto(`${readOnly.url}/runs/${runs.failed}`);
            await ro.locator(".failure-banner").waitFor();
            expect(await ro.getByRole("button", { name: /Re-execute/ }).count()).toBe(0);
            await ro.goto(`${readOnly.url}/automation`);
            expect(await ro.getByRole("switch", { name: /hourly_numbers/ }).isDisabled()).toBe(true);
          } finally {
            await ro.close();
            await readOnly.close();
          }
        },
        RUN_TEST_TIMEOUT,
      );

      it(
        "says clearly when the webserver cannot be reached, and recovers when it is back",
        async () => {
          const server = await harness.startWebserver({ readOnly: false });
          const port = Number(new URL(server.url).port);
          const p = await browser.newPage();
          let again: ServerProcess | null = null;
          try {
            await p.goto(`${server.url}/runs`);
            await p.locator("tr[data-run-id]").first().waitFor();
            await server.close();
            const banner = p.getByText("Cannot reach the Bosun webserver.");
            await banner.waitFor({ timeout: 20_000 });
            // What was loaded stays on screen.
            expect(await p.locator("tr[data-run-id]").count()).toBeGreaterThan(0);
            again = await harness.startWebserver({ readOnly: false, port });
            await banner.waitFor({ state: "detached", timeout: 20_000 });
          } finally {
            await p.close();
            await again?.close();
          }
        },
        RUN_TEST_TIMEOUT,
      );

      it(
        "terminates a running run from its page",
        async () => {
          const id = await launch({ location: "ui_fixtures", job: "long_job" });
          await page.goto(`${harness.url}/runs/${id}`);
          await page.locator('h1 [data-status="STARTED"]').waitFor({ timeout: 90_000 });
          page.once("dialog", (dialog) => void dialog.accept());
          await page.getByRole("button", { name: "Terminate" }).click();
          // The page follows the run live: canceling (unless the worker stops within a frame), then canceled.
          await page
            .locator('h1 [data-status="CANCELING"], h1 [data-status="CANCELED"]')
            .first()
            .waitFor({ timeout: 20_000 });
          await page.locator('h1 [data-status="CANCELED"]').waitFor({ timeout: 90_000 });
          expect(await harness.waitForRunStatus(id, ["CANCELED"], 5_000)).toBe("CANCELED");
          expect(await page.getByRole("button", { name: "Terminate" }).count()).toBe(0);
        },
        RUN_TEST_TIMEOUT,
      );

      it(
        "re-executes a failed run from failure and opens the new run",
        async () => {
          await page.goto(`${harness.url}/runs/${runs.failed}`);
          await page.getByRole("button", { name: "Re-execute from failure" }).click();
          await page.waitForURL(
            (u) => !u.pathname.endsWith(runs.failed!) && /\/runs\/[0-9a-f-]{36}$/.test(u.pathname),
          );
          const child = page.url().split("/").at(-1)!;
          const { body } = await harness.api<{ run: { parentRunId: string; stepKeysToExecute: string[] } }>(
            "GET",
            `/api/runs/${child}`,
          );
          expect(body.run.parentRunId).toBe(runs.failed);
          expect(body.run.stepKeysToExecute).toEqual(["extract_orders", "publish_report"]);
          await page.getByText(`Re-executes ${runs.failed!.slice(0, 8)}`).waitFor();
        },
        RUN_TEST_TIMEOUT,
      );
    });

    describe("narrow screens and dark mode", () => {
      it(
        "fits a 420 px wide screen on every main page, with the navigation behind a menu",
        async () => {
          const narrow = await browser.newPage();
          try {
            await narrow.setViewportSize({ width: 420, height: 900 });
            const pages: [string, () => Promise<unknown>][] = [
              ["/", () => narrow.getByRole("heading", { name: "Daemon" }).waitFor()],
              ["/runs", () => narrow.locator("tr[data-run-id]").first().waitFor()],
              [`/runs/${runs.failed}`, () => narrow.locator(".failure-banner").waitFor()],
              [`/runs/${runs.numbers}`, () => narrow.locator(".gantt-chart").waitFor()],
              ["/jobs", () => narrow.locator("table").first().waitFor()],
              ["/locations/quickstart/jobs/numbers_job", () => narrow.locator(".dag-node").first().waitFor()],
              [
                "/locations/quickstart/jobs/numbers_job?tab=launchpad",
                () => narrow.getByLabel("Run config (YAML)").waitFor(),
              ],
              ["/assets", () => narrow.locator("table").first().waitFor()],
              [
                "/assets/revenue_by_region",
                () => narrow.getByRole("heading", { name: "revenue_by_region", level: 1 }).waitFor(),
              ],
              ["/automation", () => narrow.getByRole("switch").first().waitFor()],
              ["/locations", () => narrow.locator(".load-error").first().waitFor()],
              ["/queue", () => narrow.getByRole("heading", { name: "Queued" }).waitFor()],
            ];
            const overflowing: string[] = [];
            for (const [url, ready] of pages) {
              await narrow.goto(`${harness.url}${url}`);
              await ready();
              await narrow.waitForTimeout(200);
              const width = await narrow.evaluate(() => document.documentElement.scrollWidth);
              if (width > 420) overflowing.push(`${url}: ${width} px`);
            }
            expect(overflowing).toEqual([]);

            // The navigation is one "Menu" button away, and closes once a page is chosen.
            const nav = narrow.getByRole("navigation", { name: "Main" });
            expect(await nav.isVisible()).toBe(false);
            await narrow.getByRole("button", { name: /^Menu/ }).click();
            await nav.getByRole("link", { name: "Runs" }).click();
            await narrow.waitForURL(/\/runs$/);
            await expect.poll(() => nav.isVisible(), PAGE_POLL).toBe(false);
            // A wide table scrolls inside its own box.
            const table = narrow.locator("table.runs-table");
            await table.waitFor();
            const box = await table.evaluate((t) => ({ scroll: t.scrollWidth, client: t.clientWidth }));
            expect(box.client).toBeLessThanOrEqual(420);
          } finally {
            await narrow.close();
          }
        },
        RUN_TEST_TIMEOUT,
      );

      it("follows the system's dark mode", async () => {
        const themed = await browser.newPage();
        try {
          const luminance = async () => {
            const color = await themed.evaluate(() => getComputedStyle(document.body).backgroundColor);
            const [r, g, b] = (color.match(/\d+/g) ?? []).map(Number) as [number, number, number];
            return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
          };
          await themed.emulateMedia({ colorScheme: "dark" });
          await themed.goto(`${harness.url}/runs`);
          await themed.locator("tr[data-run-id]").first().waitFor();
          expect(await luminance()).toBeLessThan(0.2);
          const panel = await themed.evaluate(
            () => getComputedStyle(document.querySelector(".filters") as Element).backgroundColor,
          );
          expect(panel).not.toBe("rgb(255, 255, 255)");
          await themed.emulateMedia({ colorScheme: "light" });
          expect(await luminance()).toBeGreaterThan(0.8);
        } finally {
          await themed.close();
        }
      });
    });

    describe("screenshots", () => {
      it("saves screenshots of the main pages (into docs/images with BOSUN_REFRESH_SCREENSHOTS=1, else a temp folder)", async () => {
        await mkdir(SCREENSHOT_DIR, { recursive: true });
        const startedAt = Date.now();
        // Some history for the asset pages and the overview.
        for (let i = 0; i < 3; i++) {
          const id = await launch({
            location: "quickstart",
            assetSelection: ["raw_orders", "revenue_by_region", "reports/revenue_report"],
          });
          await harness.waitForRunStatus(id, ["SUCCESS", "FAILURE"], 90_000);
        }
        const parallel = await launch({ location: "ui_fixtures", job: "parallel_load" });
        await harness.waitForRunStatus(parallel, ["SUCCESS", "FAILURE"], 90_000);
        const shots: [string, string, () => Promise<unknown>][] = [
          ["overview", "/", () => page.getByRole("heading", { name: "Daemon" }).waitFor()],
          ["runs", "/runs", () => page.locator("tr[data-run-id]").first().waitFor()],
          ["run-success", `/runs/${runs.numbers}`, () => page.locator(".gantt-chart").waitFor()],
          ["run-parallel", `/runs/${parallel}`, () => page.locator(".gantt-chart").waitFor()],
          [
            "run-failed",
            `/runs/${runs.failed}?logs=extract_orders&stream=stderr`,
            () => page.locator(".failure-banner").waitFor(),
          ],
          [
            "job-graph",
            "/locations/quickstart/jobs/numbers_job",
            () => page.locator(".dag-node").first().waitFor(),
          ],
          [
            "launchpad",
            "/locations/quickstart/jobs/numbers_job?tab=launchpad",
            () => page.getByLabel("Run config (YAML)").waitFor(),
          ],
          ["assets", "/assets", () => page.locator("table").first().waitFor()],
          ["asset-lineage", "/assets?view=graph", () => page.locator(".dag-node").first().waitFor()],
          ["asset", "/assets/revenue_by_region", () => page.locator(".metadata-chart svg").waitFor()],
          ["schedules-sensors", "/automation", () => page.getByRole("switch").first().waitFor()],
          ["code-locations", "/locations", () => page.locator(".load-error").first().waitFor()],
          ["queue", "/queue", () => page.getByRole("heading", { name: "Queued" }).waitFor()],
        ];
        for (const [name, url, ready] of shots) {
          await page.goto(`${harness.url}${url}`);
          await ready();
          if (name === "launchpad") {
            await page
              .getByLabel("Run config (YAML)")
              .fill("ops:\n  generate_numbers:\n    config:\n      count: 0\n");
            await page.getByRole("list", { name: "Config problems" }).locator("li").first().waitFor();
          }
          // Let graphs settle after their layout.
          await page.waitForTimeout(
            name.includes("graph") || name.includes("lineage") || name === "asset" ? 800 : 250,
          );
          const file = path.join(SCREENSHOT_DIR, `ui-${name}.png`);
          await page.screenshot({ path: file, fullPage: name.startsWith("run-") });
        }
        expect(shots.length).toBe(13);
        // Every picture was written by this run, where SCREENSHOT_DIR says.
        for (const [name] of shots)
          expect((await stat(path.join(SCREENSHOT_DIR, `ui-${name}.png`))).mtimeMs).toBeGreaterThanOrEqual(
            startedAt - 1_000,
          );
      }, 300_000);
    });

    describe("a partitioned asset", () => {
      it(
        "materializes the partition chosen on the asset page",
        async () => {
          await page.goto(`${harness.url}/assets/daily_orders`);
          const picker = page.getByLabel("Partition");
          await picker.selectOption("2024-05-02");
          await page.getByRole("button", { name: "Materialize", exact: true }).click();
          await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
          const runId = page.url().split("/").pop()!;
          const { body } = await harness.api<RunBody & { run: { partitionKey: string | null } }>(
            "GET",
            `/api/runs/${runId}`,
          );
          expect(body.run.partitionKey).toBe("2024-05-02");
        },
        RUN_TEST_TIMEOUT,
      );

      it(
        "shows the status bar with counts, filters the grid by status and defaults the picker to the newest key",
        async () => {
          // What run workers write, stored directly: this test is about the page, not execution (the
          // runs above exercise that), and a busy machine's worker start must not decide it.
          const record = async (partitionKey: string, outcome: "materialize" | "fail") => {
            const runId = randomUUID();
            const storage = harness.db.storage;
            await storage.runs.createRun({
              runId,
              jobName: "__asset_job",
              status: "NOT_STARTED",
              codeLocation: "quickstart",
              assetSelection: ["daily_orders"],
              partitionKey,
            });
            const at = (type: string, data: unknown) =>
              ({
                runId,
                type,
                data,
                stepKey: null,
                level: "info",
                message: type,
                timestamp: Date.now(),
              }) as NewEvent;
            await storage.events.appendEvents([at("RUN_START", {})]);
            await storage.events.appendEvents(
              outcome === "materialize"
                ? [
                    at("ASSET_MATERIALIZATION", { assetKey: "daily_orders", partitionKey, metadata: {} }),
                    at("RUN_SUCCESS", {}),
                  ]
                : [at("RUN_FAILURE", { reason: "warehouse unreachable" })],
            );
          };
          await record("2024-05-03", "materialize");
          await record("2024-05-04", "fail");
          const detail = await harness.api<{ partitionStatus: { total: number; latestKey: string } }>(
            "GET",
            "/api/assets/daily_orders",
          );
          const { total, latestKey } = detail.body.partitionStatus;
          await page.goto(`${harness.url}/assets/daily_orders`);
          const bar = page.getByRole("img", { name: /^Status bar over/ });
          await expect.poll(() => bar.getAttribute("aria-label"), PAGE_POLL).toContain("materialized");
          expect(await bar.locator(".partition-bar-segment").count()).toBeGreaterThan(1);
          const materialized = page.getByRole("button", { name: /materialized$/ });
          const materializedCount = Number(
            (await materialized.locator("strong").textContent())!.replace(/,/g, ""),
          );
          expect(materializedCount).toBeGreaterThanOrEqual(1);
          const missingText = await page
            .getByRole("button", { name: /missing$/ })
            .locator("strong")
            .textContent();
          expect(Number(missingText!.replace(/,/g, ""))).toBeLessThan(total);
          // The picker starts at the newest partition and shows each key's status.
          const picker = page.getByLabel("Partition");
          expect(await picker.inputValue()).toBe(latestKey);
          await expect
            .poll(() => picker.locator('option[value="2024-05-03"]').textContent(), PAGE_POLL)
            .toBe("2024-05-03 · materialized");
          // Filtering the grid by "materialized" leaves only materialized keys, the new one among them.
          await materialized.click();
          const grid = page.getByRole("list", { name: "Keys with their status" });
          await expect
            .poll(() => grid.locator("li").count(), PAGE_POLL)
            .toBe(Math.min(materializedCount, 300));
          await expect(grid.getByRole("button", { name: /2024-05-03/ }).count()).resolves.toBe(1);
          await expect.poll(() => grid.locator(".partition-muted").count(), PAGE_POLL).toBe(0);
          await grid.getByRole("button", { name: /2024-05-03/ }).click();
          expect(await picker.inputValue()).toBe("2024-05-03");
          await page.screenshot({
            path: path.join(SCREENSHOT_DIR, "ui-asset-partitions.png"),
            fullPage: true,
          });
        },
        RUN_TEST_TIMEOUT,
      );
    });
  },
);
