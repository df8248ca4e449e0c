import { randomUUID } from "node:crypto";
import { emptyWorkspace, type LocationEntry, type Workspace } from "@bosun/code-server";
import { type Browser, ensureUiBuilt, openBrowser, UI_DIST } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningWebserver } from "../src/index.ts";
import { startWebserverHarness, type WebserverHarness } from "./support/webserver-harness.ts";

/**
 * Deployments in the UI, in headless Chromium: the switcher moves between prod and a branch deployment
 * (URLs under /d/<deployment>, each showing its own runs), and the branch deployment's page lists the
 * assets it changes against prod. The branch's code locations are given to the webserver here: until
 * locations files and agents serve them, `bosun dev` has none to give a branch deployment.
 */

let h: WebserverHarness;
let web: RunningWebserver;
let browser: Browser;
const branchRunJob = "only_in_the_branch";

/** Location "main" as the branch has it: raw_orders at a new code version, forecast added, the other assets removed. */
function branchWorkspace(): Workspace {
  const main = h.workspace.get("main") as LocationEntry;
  const snapshot = main.snapshot;
  const rawOrders = snapshot?.assets.find((a) => a.key === "raw_orders");
  if (!snapshot || !rawOrders) throw new Error("location main has no raw_orders");
  const entry: LocationEntry = {
    ...main,
    snapshot: {
      ...snapshot,
      assets: [
        { ...rawOrders, codeVersion: "v2" },
        { ...rawOrders, key: "forecast", stepKey: "forecast" },
      ],
    },
  };
  return { ...emptyWorkspace(), list: () => [entry], get: (name) => (name === "main" ? entry : undefined) };
}

beforeAll(async () => {
  await ensureUiBuilt();
  h = await startWebserverHarness();
  await h.db.storage.deployments.upsertBranchDeployment(
    "feature-orders",
    {
      branch: "feature/orders",
      base: "prod",
      commit: "9f8e7d6c5b4a",
      pullRequestUrl: "https://git.example.com/shop/pull/12",
    },
    new Date(),
  );
  const branch = await h.db.storage.forDeployment("feature-orders");
  await branch.runs.createRun({ runId: randomUUID(), jobName: branchRunJob, status: "QUEUED" });
  const workspace = branchWorkspace();
  web = await h.startAnother({
    uiDirectory: UI_DIST,
    deployments: {
      storages: h.db.storage,
      workspaceOf: (name) => (name === "feature-orders" ? workspace : undefined),
    },
  });
  browser = await openBrowser();
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

describe("deployments in the UI", () => {
  it("switches to a branch deployment, shows its own runs under /d/<deployment>, and lists its changed assets", async () => {
    const page = await browser.newPage();
    await page.goto(`${web.url}/runs`);
    const switcher = page.getByLabel("Deployment");
    await switcher.waitFor();
    expect(await switcher.inputValue()).toBe("prod");
    expect(await page.getByText(branchRunJob).count()).toBe(0);

    await switcher.selectOption("feature-orders");
    await page.waitForURL(`${web.url}/d/feature-orders/`);
    await page.getByRole("link", { name: "Runs" }).first().click();
    await page.waitForURL(`${web.url}/d/feature-orders/runs`);
    await page.getByText(branchRunJob).first().waitFor();

    await page.getByRole("link", { name: "Deployments" }).click();
    await page.waitForURL(`${web.url}/d/feature-orders/deployments`);
    const row = page.getByRole("row", { name: /feature-orders/ });
    await row.getByText("feature/orders").waitFor();
    expect(await row.getByRole("link", { name: "git.example.com/shop/pull/12" }).count()).toBe(1);
    await row.getByRole("link", { name: "feature-orders" }).click();

    const assets = page.getByRole("region", { name: "Changed assets against prod" });
    await assets.getByText("forecast").waitFor();
    const items = (await assets.locator("li").allInnerTexts()).map((t) => t.replace(/\s+/g, " ").trim());
    expect(items).toEqual([
      "added forecast in main",
      "changed raw_orders in main (code version)",
      "removed regional_sales in main",
      "removed sales/revenue in main",
    ]);
    await page.close();
  });
});
