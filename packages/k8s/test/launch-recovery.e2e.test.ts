/**
 * A daemon running the Kubernetes launcher, killed with -9 between admitting a run and recording its
 * Job (`bosun daemon run` processes on kube-sim, real run pods). The test-only pause points hold the
 * daemon, or the pod's worker, at the exact instant; the test kills the daemon's own process there and
 * starts another, which must give the run exactly one Job and one worker.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { StoredEvent } from "@bosun/core";
import { startBosun, systemSuiteMissing } from "@bosun/test-support";
import type { V1Job } from "@kubernetes/client-node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import { eventLines, FIXTURE, type K8sTestEnv, startK8sTestEnv, waitFor, waitForStatus } from "./support.ts";

vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

/** The location `bosun daemon run -f` names after the fixture file. */
const LOCATION = "k8s-location";
const missing = await systemSuiteMissing("cluster");

let env: K8sTestEnv;
/** Every daemon a test starts, stopped (SIGTERM, then SIGKILL) after it. */
const running: ReturnType<typeof startBosun>[] = [];
const homes: string[] = [];

afterEach(async () => {
  for (const daemon of running.splice(0)) {
    if (daemon.child.exitCode === null && daemon.child.signalCode === null) daemon.child.kill("SIGTERM");
    const timer = setTimeout(() => daemon.child.kill("SIGKILL"), 20_000);
    await daemon.done;
    clearTimeout(timer);
  }
});

/** A BOSUN_HOME whose bosun.yaml selects the Kubernetes launcher; `podEnv` goes to the run pods. */
async function k8sHome(podEnv: readonly string[] = []): Promise<string> {
  const home = await mkdtemp(path.join(tmpdir(), "bosun-k8s-relaunch-"));
  homes.push(home);
  const launcher = env.launcherConfig();
  const config = {
    run_launcher: { k8s: { ...launcher, env_vars: [...(launcher.env_vars as string[]), ...podEnv] } },
    run_coordinator: { dequeue_interval_seconds: 1 },
    // Far beyond the waits below: a run left STARTING fails these tests by timing out.
    run_monitoring: { start_timeout_seconds: 300, poll_interval_seconds: 5 },
    scheduler: { enabled: false },
    sensors: { enabled: false },
  };
  await writeFile(path.join(home, "bosun.yaml"), stringify(config));
  return home;
}

function startDaemon(home: string, extraEnv: Record<string, string> = {}) {
  const daemon = startBosun(["daemon", "run", "-f", FIXTURE], {
    BOSUN_HOME: home,
    BOSUN_DATABASE_URL: env.db.databaseUrl,
    ...extraEnv,
  });
  let stderr = "";
  daemon.child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  running.push(daemon);
  return { ...daemon, stderr: () => stderr };
}

/** Kills the daemon's own process with -9 and waits until it is gone. */
async function killHard(daemon: ReturnType<typeof startDaemon>): Promise<void> {
  process.kill(daemon.child.pid!, "SIGKILL");
  await daemon.done;
}

async function queueRun(): Promise<string> {
  const runId = randomUUID();
  await env.db.storage.runs.createRun({
    runId,
    jobName: "hello_job",
    status: "QUEUED",
    codeLocation: LOCATION,
  });
  return runId;
}

async function readJob(runId: string): Promise<V1Job | null> {
  try {
    return await env.batch.readNamespacedJob({ name: `bosun-run-${runId}`, namespace: env.namespace });
  } catch (error) {
    if ((error as { code?: number }).code === 404) return null;
    throw error;
  }
}

/** Names of the run's worker pods: one per worker Kubernetes started. */
async function podsOf(runId: string): Promise<string[]> {
  const pods = await env.core.listNamespacedPod({ namespace: env.namespace });
  return pods.items
    .map((pod) => pod.metadata?.name ?? "")
    .filter((name) => name.startsWith(`bosun-run-${runId}-`));
}

function runLevelTypes(events: readonly StoredEvent[]): string[] {
  return events.map((event) => event.type).filter((type) => type.startsWith("RUN_"));
}

describe.skipIf(missing !== "")(
  `a daemon with the Kubernetes launcher killed between admission and launch${missing && ` (skipped: ${missing})`}`,
  () => {
    beforeAll(async () => {
      env = await startK8sTestEnv("relaunch");
    });
    afterAll(async () => {
      await env?.stop();
      for (const home of homes) await rm(home, { recursive: true, force: true });
    });

    it("has the next daemon create the run's Job once, for the new launch attempt, and the run ends SUCCESS", async () => {
      const home = await k8sHome();
      const gate = path.join(home, "admitted");
      const runId = await queueRun();
      const first = startDaemon(home, { BOSUN_TEST_PAUSE_AFTER_ADMISSION: gate });
      await waitFor(
        "the first daemon to admit the run",
        async () => first.stderr().includes("BOSUN_TEST_PAUSE_AFTER_ADMISSION: paused") || undefined,
        90_000,
      );
      await killHard(first);
      expect((await env.db.storage.runs.getRun(runId))?.status).toBe("STARTING");
      expect(await readJob(runId)).toBeNull();

      const second = startDaemon(home);
      const run = await waitForStatus(env.db.storage, runId, ["SUCCESS", "FAILURE", "CANCELED"]);
      const events = await env.db.storage.events.getEvents(runId);
      expect(run.status, await eventLines(env.db.storage, runId)).toBe("SUCCESS");
      const job = await readJob(runId);
      const args = job?.spec?.template.spec?.containers[0]?.args ?? [];
      expect(args.slice(args.indexOf("--launch-attempt"), args.indexOf("--launch-attempt") + 2)).toEqual([
        "--launch-attempt",
        "2",
      ]);
      expect(run.launcherInfo).toMatchObject({ k8sJobName: `bosun-run-${runId}`, workerLaunchAttempt: 2 });
      expect(await podsOf(runId)).toHaveLength(1);
      expect(runLevelTypes(events)).toEqual(["RUN_ENQUEUED", "RUN_STARTING", "RUN_START", "RUN_SUCCESS"]);
      expect(events.filter((event) => event.message.startsWith("Relaunching the run"))).toHaveLength(1);
      expect(second.stderr()).toContain("is gone before launching it; launching it here");
    });

    it("has the next daemon adopt the Job the dead daemon created, creating no second one, and its worker runs the run to SUCCESS", async () => {
      const claimGate = path.join(tmpdir(), `bosun-relaunch-claim-${randomUUID()}`);
      const home = await k8sHome([`BOSUN_TEST_PAUSE_BEFORE_CLAIM=${claimGate}`]);
      const launchedGate = path.join(home, "launched");
      const runId = await queueRun();
      try {
        // The first daemon creates the Job and dies before recording it; the pod's worker waits to claim.
        const first = startDaemon(home, { BOSUN_TEST_PAUSE_AFTER_LAUNCH: launchedGate });
        await waitFor(
          "the first daemon to create the run's Job",
          async () => first.stderr().includes("BOSUN_TEST_PAUSE_AFTER_LAUNCH: paused") || undefined,
          90_000,
        );
        await killHard(first);
        const created = await readJob(runId);
        expect(created?.metadata?.uid).toBeTruthy();
        // Only the first daemon's monitor may have noted the pod: the launch itself was never recorded.
        expect((await env.db.storage.runs.getRun(runId))?.launcherInfo.k8sJobName).toBeUndefined();

        const second = startDaemon(home);
        const adopted = await waitFor(
          "the second daemon to record the existing Job",
          async () => {
            const run = await env.db.storage.runs.getRun(runId);
            return run?.launcherInfo.k8sJobName ? run : undefined;
          },
          90_000,
        );
        expect(adopted.launcherInfo).toMatchObject({ workerLaunchAttempt: 1 });
        expect(await env.db.storage.launches.currentAttempt(runId)).toBe(2);
        // Now the first daemon's worker claims: its attempt was adopted, so it runs the run.
        await writeFile(claimGate, "");
        const run = await waitForStatus(env.db.storage, runId, ["SUCCESS", "FAILURE", "CANCELED"]);
        expect(run.status, await eventLines(env.db.storage, runId)).toBe("SUCCESS");
        expect((await readJob(runId))?.metadata?.uid).toBe(created?.metadata?.uid);
        expect(await podsOf(runId)).toHaveLength(1);
        const events = await env.db.storage.events.getEvents(runId);
        expect(runLevelTypes(events)).toEqual(["RUN_ENQUEUED", "RUN_STARTING", "RUN_START", "RUN_SUCCESS"]);
        expect(second.stderr()).toContain("its worker of launch attempt 1 was started already");
      } finally {
        await rm(claimGate, { force: true });
      }
    });
  },
);
