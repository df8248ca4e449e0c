/**
 * k8sJobExecutor end to end: the run pod (launched by the daemon's K8sRunLauncher) starts one Job per
 * step in kube-sim; outputs travel between step pods through PostgreSQL.
 */

import { terminateRun } from "@bosun/runs";
import { systemSuiteMissing } from "@bosun/test-support";
import type { V1Job } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { stepJobName } from "../src/index.ts";
import { type DaemonHarness, eventLines, startDaemonHarness, waitFor, waitForStatus } from "./support.ts";

vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

let h: DaemonHarness;

async function stepJobs(runId: string): Promise<V1Job[]> {
  const list = await h.env.batch.listNamespacedJob({
    namespace: h.env.namespace,
    labelSelector: `app.kubernetes.io/component=step-worker,bosun/run-id=${runId}`,
  });
  return list.items;
}

function envOf(job: V1Job): Record<string, string | undefined> {
  return Object.fromEntries(
    (job.spec?.template.spec?.containers[0]?.env ?? []).map((e) => [e.name, e.value]),
  );
}

const missing = await systemSuiteMissing("cluster");

describe.skipIf(missing !== "")(`k8sJobExecutor on kube-sim${missing && ` (skipped: ${missing})`}`, () => {
  beforeAll(async () => {
    h = await startDaemonHarness("executor", { finishGraceMs: 1_000 });
  });

  afterAll(async () => {
    await h?.stop();
  });

  it("runs a fan-out job with one Job per step, step config applied and the job tag not, owned by the run's Job", async () => {
    const runId = await h.queue("fan_out_job");
    const run = await waitForStatus(h.env.db.storage, runId, ["SUCCESS", "FAILURE", "CANCELED"], 150_000);
    expect(run.status, await eventLines(h.env.db.storage, runId)).toBe("SUCCESS");

    const jobs = await stepJobs(runId);
    const byStep = new Map(jobs.map((job) => [job.metadata?.labels?.["bosun/op"], job]));
    expect([...byStep.keys()].sort()).toEqual(["numbers", "square", "square_b", "square_c", "total"]);
    const runJob = await h.env.batch.readNamespacedJob({
      name: `bosun-run-${runId}`,
      namespace: h.env.namespace,
    });
    for (const [stepKey, job] of byStep) {
      expect(job.metadata?.name).toBe(stepJobName(runId, stepKey!));
      expect(job.status?.succeeded).toBe(1);
      const env = envOf(job);
      // launcher and code location layers reach step pods, then the executor's step_k8s_config ...
      expect(env).toMatchObject({
        FROM_LAUNCHER: "launcher",
        FROM_LOCATION: "location",
        FROM_STEP_CONFIG: "all-steps",
      });
      // ... but the job-level tag does not.
      expect(env.FROM_JOB_TAG).toBeUndefined();
      expect(job.spec?.template.spec?.containers[0]?.command).toEqual(["bosun"]);
      expect(job.spec?.template.spec?.containers[0]?.args).toEqual([
        "api",
        "execute-step",
        runId,
        "--step",
        stepKey,
        "--retry-number",
        "0",
        "-f",
        expect.stringContaining("k8s-location.ts"),
      ]);
      expect(job.metadata?.ownerReferences).toEqual([
        expect.objectContaining({ kind: "Job", name: runJob.metadata?.name, uid: runJob.metadata?.uid }),
      ]);
    }
    // The op tag reaches the steps of that op only; per_step_k8s_config[total] only `total`.
    expect(envOf(byStep.get("square")!).FROM_OP_TAG).toBe("square");
    expect(envOf(byStep.get("square_c")!).FROM_OP_TAG).toBe("square");
    expect(envOf(byStep.get("numbers")!).FROM_OP_TAG).toBeUndefined();
    expect(byStep.get("total")!.spec?.template.metadata?.annotations).toMatchObject({
      "bosun.test/per-step": "total",
    });
    expect(
      byStep.get("square")!.spec?.template.metadata?.annotations?.["bosun.test/per-step"],
    ).toBeUndefined();

    // Every step ran in its own pod; outputs came through PostgreSQL (each pod had a private BOSUN_HOME).
    const starts = await h.env.db.storage.events.getEvents(runId, { types: ["STEP_START"] });
    expect(new Set(starts.map((event) => event.stepKey)).size).toBe(5);
    const squaring = await h.env.db.storage.computeLogs.read(runId, "square_b", "stdout");
    expect(squaring.data).toContain("with FROM_STEP_CONFIG=all-steps");
    const outputs = await h.env.db.storage.outputs.get(runId, "total", "result");
    expect(outputs).not.toBeNull();
  });

  it("fails a step whose pod is killed for memory with OOMKilled in its events, keeps the pod's log, and the run fails", async () => {
    const runId = await h.queue("oom_job");
    const run = await waitForStatus(h.env.db.storage, runId, ["SUCCESS", "FAILURE", "CANCELED"], 150_000);
    expect(run.status, await eventLines(h.env.db.storage, runId)).toBe("FAILURE");
    // The step itself ran (the pod was killed by its allocation, not while starting up).
    expect(
      await h.env.db.storage.events.getEvents(runId, { types: ["STEP_START"], stepKey: "hog" }),
    ).toHaveLength(1);
    const [failure] = await h.env.db.storage.events.getEvents(runId, {
      types: ["STEP_FAILURE"],
      stepKey: "hog",
    });
    expect(failure?.message).toContain("OOMKilled");
    expect(failure?.message).toContain("600Mi");
    const [job] = await stepJobs(runId);
    expect(job?.spec?.template.spec?.containers[0]?.resources?.limits).toMatchObject({ memory: "600Mi" });
    // The pod's own log (what the step process wrote past its capture) is kept as the step's stderr.
    const stderr = await h.env.db.storage.computeLogs.read(runId, "hog", "stderr");
    expect(stderr.data).toContain("hog: allocating 1 GiB in 16 MiB chunks");
  });

  it("terminating a run mid-step deletes every step Job and pod, and the run ends CANCELED", async () => {
    const runId = await h.queue("slow_steps_job");
    await waitFor(
      "both steps to start in their pods",
      async () => {
        const starts = await h.env.db.storage.events.getEvents(runId, { types: ["STEP_START"] });
        return starts.length >= 2 ? starts : undefined;
      },
      150_000,
    );
    expect((await stepJobs(runId)).length).toBe(2);
    await terminateRun(h.env.db.storage, h.launcher, runId);
    const run = await waitForStatus(h.env.db.storage, runId, ["SUCCESS", "FAILURE", "CANCELED"], 60_000);
    expect(run.status, await eventLines(h.env.db.storage, runId)).toBe("CANCELED");
    await waitFor(
      "step Jobs to be gone",
      async () => ((await stepJobs(runId)).length === 0 ? true : undefined),
      30_000,
    );
    // Pods go once their processes have stopped (SIGTERM, within the grace period).
    await waitFor(
      "the run's pods to be gone",
      async () => {
        const pods = await h.env.core.listNamespacedPod({
          namespace: h.env.namespace,
          labelSelector: `bosun/run-id=${runId}`,
        });
        return pods.items.length === 0 ? true : undefined;
      },
      40_000,
    );
  });
});
