/**
 * K8sRunLauncher and run monitoring end to end: the daemon launches runs into kube-sim, pods run this
 * checkout's `bosun api execute-run` against a real PostgreSQL.
 */
import { validateObject } from "@bosun/kube-sim";
import { terminateRun } from "@bosun/runs";
import { systemSuiteMissing } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { LAUNCHER_CONFIG_ENV } from "../src/index.ts";
import {
  type DaemonHarness,
  eventLines,
  LOCATION,
  startDaemonHarness,
  waitFor,
  waitForStatus,
} from "./support.ts";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let h: DaemonHarness;

async function jobGone(name: string): Promise<boolean | undefined> {
  try {
    await h.env.batch.readNamespacedJob({ name, namespace: h.env.namespace });
    return undefined;
  } catch (error) {
    return (error as { code?: number }).code === 404 ? true : undefined;
  }
}

const missing = await systemSuiteMissing("cluster");

describe.skipIf(missing !== "")(`K8sRunLauncher on kube-sim${missing && ` (skipped: ${missing})`}`, () => {
  beforeAll(async () => {
    h = await startDaemonHarness("launcher", {
      podStartPolicy: { unschedulableTimeoutMs: 4_000 },
      finishGraceMs: 1_000,
    });
  });

  afterAll(async () => {
    await h?.stop();
  });

  it("runs a queued run in a Job carrying the launcher, code location and job-tag config, and the run ends SUCCESS", async () => {
    const runId = await h.queue("hello_job");
    const run = await waitForStatus(h.env.db.storage, runId, ["SUCCESS", "FAILURE", "CANCELED"]);
    expect(run.status, await eventLines(h.env.db.storage, runId)).toBe("SUCCESS");
    expect(run.launcherInfo).toMatchObject({
      launcher: "k8s",
      k8sJobName: `bosun-run-${runId}`,
      k8sNamespace: h.env.namespace,
      image: "bosun/bosun:test",
    });
    // The merged config is recorded for the run page: the job tag's annotation reached it.
    const k8sConfig = run.launcherInfo.k8sConfig as {
      pod_template_spec_metadata?: { annotations?: Record<string, string> };
    };
    expect(k8sConfig.pod_template_spec_metadata?.annotations).toMatchObject({ "bosun.test/job-tag": "yes" });
    // The run page shows the run's pods from what the monitor records.
    const pods = (await waitFor("the pod's final state in launcher info", async () => {
      const info = (await h.env.db.storage.runs.getRun(runId))?.launcherInfo as
        | { pods?: { phase: string }[] }
        | undefined;
      return info?.pods?.some((pod) => pod.phase === "Succeeded") ? info.pods : undefined;
    })) as { name: string; phase: string; reason: string }[];
    expect(pods[0]!.name).toMatch(new RegExp(`^bosun-run-${runId}-`));
    expect(pods[0]!.reason).toMatch(/terminated exit code 0/);

    const job = await h.env.batch.readNamespacedJob({
      name: `bosun-run-${runId}`,
      namespace: h.env.namespace,
    });
    expect(job.metadata?.labels).toMatchObject({
      "bosun.test/launcher": "yes",
      "bosun.test/location": "yes",
      "bosun.test/scope": "job-tag",
      "app.kubernetes.io/component": "run-worker",
      "bosun/run-id": runId,
    });
    expect(job.spec?.template.metadata?.annotations).toMatchObject({ "bosun.test/job-tag": "yes" });
    const container = job.spec!.template.spec!.containers[0]!;
    expect(container.command).toEqual(["bosun"]);
    expect(container.args).toEqual([
      "api",
      "execute-run",
      runId,
      // The worker claims the daemon's launch attempt before running anything.
      "--launch-attempt",
      "1",
      "-f",
      expect.stringContaining("k8s-location.ts"),
    ]);
    const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      FROM_LAUNCHER: "launcher",
      FROM_LOCATION: "location",
      FROM_JOB_TAG: "job-tag",
    });
    expect(JSON.parse(env[LAUNCHER_CONFIG_ENV]!)).toMatchObject({ image: "bosun/bosun:test" });
    // The worker exits after storing the run's end: the Job then completes.
    await waitFor("the run Job to complete", async () => {
      const current = await h.env.batch.readNamespacedJob({
        name: `bosun-run-${runId}`,
        namespace: h.env.namespace,
      });
      return current.status?.succeeded === 1 ? true : undefined;
    });

    // The manifest the launcher builds passes the API server's strict validation.
    const location = h.workspace.get(LOCATION)!;
    expect(validateObject(h.launcher.jobFor(run, location))).toEqual([]);
    // The step ran in the pod: its output went to the step's compute log in PostgreSQL.
    const log = await h.env.db.storage.computeLogs.read(runId, "hello", "stdout");
    expect(log.data).toContain(`hello from bosun-run-${runId}`);
  });

  it("fails a run whose image cannot be pulled within seconds, with ImagePullBackOff, the pod state and warnings in its events, and deletes its Job", async () => {
    const started = Date.now();
    const runId = await h.queue("missing_image_job");
    const run = await waitForStatus(h.env.db.storage, runId, ["SUCCESS", "FAILURE", "CANCELED"], 30_000);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(run.status).toBe("FAILURE");
    const events = await h.env.db.storage.events.getEvents(runId);
    const failure = events.find((event) => event.type === "RUN_FAILURE")!;
    expect(failure.message).toContain("ImagePullBackOff");
    expect(failure.message).toContain("registry.invalid/bosun/nothing:1");
    expect(failure.message).toContain("phase Pending");
    const report = events.find((event) => event.type === "ENGINE_EVENT" && event.level === "error")!;
    expect(report.data).toMatchObject({
      detail: {
        reason: "ImagePullBackOff",
        podPhase: "Pending",
        containers: [{ name: "bosun", state: "waiting" }],
      },
    });
    const warnings = events.filter((event) => event.type === "ENGINE_EVENT" && event.level === "warning");
    expect(warnings.map((event) => event.message).join("\n")).toMatch(
      /Failed to pull image|ErrImagePull|ImagePullBackOff/,
    );
    await waitFor("the run Job to be deleted", () => jobGone(`bosun-run-${runId}`), 20_000);
    // The launcher's watches reported the end (the launcher has no storage) and the daemon's run monitor
    // wrote it, once: the Job's deletion, reported too, and the monitor's poll added no second end.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const after = await h.env.db.storage.events.getEvents(runId);
    expect(after.filter((event) => event.type === "RUN_FAILURE")).toHaveLength(1);
    expect(after.filter((event) => event.type === "ENGINE_EVENT" && event.level === "error")).toHaveLength(1);
    expect(h.endings.filter((ending) => ending.runId === runId && ending.ended)).toHaveLength(1);
    expect(h.logs).toContainEqual(
      expect.stringMatching(
        new RegExp(`^daemon warning run ${runId}: the run pod cannot start: ImagePullBackOff`),
      ),
    );
  });

  it("reports FailedScheduling as a warning while the run waits, then fails it as Unschedulable after the timeout", async () => {
    const runId = await h.queue("unschedulable_job");
    const warning = await waitFor(
      "a FailedScheduling warning in the run's events",
      async () => {
        const events = await h.env.db.storage.events.getEvents(runId, { types: ["ENGINE_EVENT"] });
        return events.find(
          (event) => event.level === "warning" && event.message.includes("FailedScheduling"),
        );
      },
      30_000,
    );
    expect(warning.message).toContain("node affinity/selector");
    const run = await waitForStatus(h.env.db.storage, runId, ["SUCCESS", "FAILURE", "CANCELED"], 30_000);
    expect(run.status).toBe("FAILURE");
    const [failure] = await h.env.db.storage.events.getEvents(runId, { types: ["RUN_FAILURE"] });
    expect(failure!.message).toContain("Unschedulable");
    // The warning was in the event log before the run failed.
    expect(warning.seq).toBeLessThan(failure!.seq);
    await waitFor("the run Job to be deleted", () => jobGone(`bosun-run-${runId}`), 20_000);
  });

  it("terminates a running run: its Job is deleted with its pod and the run ends CANCELED", async () => {
    const runId = await h.queue("slow_job");
    await waitFor(
      "the step to start",
      async () => (await h.env.db.storage.events.getEvents(runId, { types: ["STEP_START"] }))[0],
      90_000,
    );
    const result = await terminateRun(h.env.db.storage, h.launcher, runId);
    expect(result.status).toBe("CANCELING");
    const run = await waitForStatus(h.env.db.storage, runId, ["SUCCESS", "FAILURE", "CANCELED"], 60_000);
    expect(run.status, await eventLines(h.env.db.storage, runId)).toBe("CANCELED");
    await waitFor("the run Job to be gone", () => jobGone(`bosun-run-${runId}`), 30_000);
    const pods = await h.env.core.listNamespacedPod({
      namespace: h.env.namespace,
      labelSelector: `bosun/run-id=${runId}`,
    });
    expect(pods.items).toEqual([]);
  });

  it("leaves finished Jobs to Kubernetes, which deletes them after their TTL", async () => {
    const runId = await h.queue("short_ttl_job");
    const run = await waitForStatus(h.env.db.storage, runId, ["SUCCESS", "FAILURE", "CANCELED"]);
    expect(run.status, await eventLines(h.env.db.storage, runId)).toBe("SUCCESS");
    await waitFor(
      "the finished Job to be deleted by its TTL (2 s)",
      () => jobGone(`bosun-run-${runId}`),
      20_000,
    );
    // The run's history stays in PostgreSQL.
    expect((await h.env.db.storage.runs.getRun(runId))?.status).toBe("SUCCESS");
  });
});
