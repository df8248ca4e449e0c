import { createTestStorage, type TestStorage } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DeploymentDaemons, startDeploymentDaemons } from "../src/deployment-daemons.ts";
import { ManualClock } from "../src/manual-clock.ts";
import { memoryLog, queueRun, settings, waitForStatus } from "./daemon-harness.ts";
import { FakeWorkspace } from "./fake-workspace.ts";
import { SimulatedLauncher } from "./simulated-launcher.ts";

/** Branch deployments get the daemon's loops while open, lose them when closed, and are purged later. */

let db: TestStorage;
const supervisors: DeploymentDaemons[] = [];
beforeAll(async () => {
  db = await createTestStorage();
});
afterAll(async () => {
  await Promise.all(supervisors.map((s) => s.stop()));
  await db?.drop();
});

const DAY = 24 * 60 * 60 * 1000;

function supervise(clock: ManualClock) {
  const launchers = new Map<string, SimulatedLauncher>();
  const supervisor = startDeploymentDaemons({
    deployments: db.storage,
    settings: settings({ retention: { closed_deployments: { purge_after_days: 2 } } }),
    launcherFor: async (name, storage) => {
      const launcher = new SimulatedLauncher(storage, { runMs: () => 10 });
      launchers.set(name, launcher);
      return launcher;
    },
    workspaceFor: () => new FakeWorkspace([{ name: "loc" }]),
    clock,
    log: memoryLog(),
    // Passes only when the test asks.
    syncIntervalMs: 3_600_000,
  });
  supervisors.push(supervisor);
  return { supervisor, launchers };
}

describe("deployment daemons", () => {
  it("runs a branch deployment's queued run through its own launcher, and leaves prod's runs to prod", async () => {
    const clock = new ManualClock(Date.now());
    await db.storage.deployments.upsertBranchDeployment(
      "feat-a",
      { branch: "feat-a", base: "prod" },
      new Date(),
    );
    const { supervisor, launchers } = supervise(clock);
    await supervisor.sync();
    expect(supervisor.served()).toEqual(["feat-a"]);

    const branch = await db.storage.forDeployment("feat-a");
    const inBranch = await queueRun(branch);
    const inProd = await queueRun(db.storage);
    await waitForStatus(branch, inBranch, ["SUCCESS"]);
    expect(launchers.get("feat-a")?.launched.map((r) => r.runId)).toEqual([inBranch]);
    // No prod daemon runs here: prod's run stays queued, untouched by the branch's loops.
    expect((await db.storage.runs.getRun(inProd))?.status).toBe("QUEUED");
  });

  it("stops serving a closed deployment, and purges it with its data once closed longer than the retention", async () => {
    const clock = new ManualClock(Date.now());
    await db.storage.deployments.upsertBranchDeployment(
      "feat-b",
      { branch: "feat-b", base: "prod" },
      new Date(),
    );
    const { supervisor } = supervise(clock);
    await supervisor.sync();
    expect(supervisor.served()).toContain("feat-b");

    await db.storage.deployments.closeDeployment("feat-b", new Date(clock.now()));
    await supervisor.sync();
    expect(supervisor.served()).not.toContain("feat-b");
    // Closed, but not for long enough: its history stays.
    expect(await db.storage.deployments.getDeployment("feat-b")).toMatchObject({ status: "closed" });

    clock.advance(3 * DAY);
    await supervisor.sync();
    expect(await db.storage.deployments.getDeployment("feat-b")).toBeNull();
    await expect(db.storage.forDeployment("feat-b")).rejects.toThrow(/no deployment "feat-b"/);
  });
});
