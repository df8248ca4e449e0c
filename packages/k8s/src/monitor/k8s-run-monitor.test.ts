import { randomUUID } from "node:crypto";
import { type KubeSim, startKubeSim } from "@bosun/kube-sim";
import type { RunObserver } from "@bosun/runs";
import { waitFor } from "@bosun/test-support";
import type { V1Job } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKubeClients, type KubeClients } from "../client/kube-clients.ts";
import { K8sRunMonitor, RUN_WORKER_SELECTOR } from "./k8s-run-monitor.ts";

// The control plane of kube-sim only (no kubelet): Jobs and their status are written by the test.
let sim: KubeSim;
let clients: KubeClients;
beforeAll(async () => {
  sim = await startKubeSim({ kubelet: false, bookmarkIntervalMs: 200 });
  clients = createKubeClients({ kind: "kubeconfig", file: sim.kubeconfigPath });
}, 60_000);
afterAll(async () => {
  await sim?.stop();
});

function runJob(runId: string): V1Job {
  const [key, value] = RUN_WORKER_SELECTOR.split("=") as [string, string];
  return {
    metadata: { name: `bosun-run-${runId}`, labels: { [key]: value, "bosun/run-id": runId } },
    spec: {
      backoffLimit: 0,
      template: {
        spec: { restartPolicy: "Never", containers: [{ name: "run", image: "bosun/bosun:test" }] },
      },
    },
  };
}

/** Sets the Job's Failed condition, as the Job controller would (again on a conflict with it). */
async function markFailed(namespace: string, name: string): Promise<void> {
  for (;;) {
    const current = await clients.batch.readNamespacedJob({ name, namespace });
    const failed = { type: "Failed", status: "True", reason: "BackoffLimitExceeded" };
    try {
      await clients.batch.replaceNamespacedJobStatus({
        name,
        namespace,
        body: { ...current, status: { ...current.status, conditions: [failed] } },
      });
      return;
    } catch (error) {
      if ((error as { code?: number }).code !== 409) throw error;
    }
  }
}

describe("K8sRunMonitor", () => {
  it("forgets a run it concluded once the run's Job is deleted, so a long-lived daemon does not grow", async () => {
    const namespace = `monitor-${randomUUID().slice(0, 8)}`;
    await clients.core.createNamespace({ body: { metadata: { name: namespace } } });
    const ended: string[] = [];
    const observer: RunObserver = {
      warning: async () => undefined,
      launcherInfoChanged: async () => undefined,
      workerEnded: async (runId) => {
        ended.push(runId);
        return true;
      },
    };
    const monitor = new K8sRunMonitor({ clients, observer, finishGraceMs: 0, log: () => undefined });
    try {
      const runIds = [randomUUID(), randomUUID()];
      await monitor.watchNamespace(namespace);
      for (const runId of runIds) {
        const job = await clients.batch.createNamespacedJob({ namespace, body: runJob(runId) });
        monitor.track(runId, namespace, job.metadata!.name!);
        // The Job failed: the monitor reports the run's end, which the observer writes.
        await markFailed(namespace, job.metadata!.name!);
      }
      await waitFor(
        "both runs concluded",
        async () => (monitor.concludedRunCount === 2 ? true : undefined),
        15_000,
      );
      expect(ended.sort()).toEqual([...runIds].sort());

      // Their Jobs go (their TTL after finishing, or a delete): nothing is kept about the runs.
      for (const runId of runIds)
        await clients.batch.deleteNamespacedJob({ name: `bosun-run-${runId}`, namespace });
      await waitFor(
        "both runs forgotten",
        async () => (monitor.concludedRunCount === 0 ? true : undefined),
        15_000,
      );
      // Their deletion reported nothing more: the runs had ended.
      expect(ended).toHaveLength(2);
    } finally {
      await monitor.close();
    }
  }, 60_000);
});
