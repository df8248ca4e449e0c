/**
 * The chart end to end on kube-sim with its own PostgreSQL (the StatefulSet, its claim and a generated
 * password Secret) and the DefaultRunLauncher: `helm install --wait`, a run launched through the
 * webserver API ends SUCCESS, the database keeps its data when its pod is replaced, and `helm uninstall`
 * deletes the claim with the rest. The steps share one release and run in order.
 */

import { systemSuiteMissing } from "@bosun/test-support";
import type * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  BOSUN_IMAGE,
  type ChartCluster,
  fetchInCluster,
  startChartCluster,
  waitFor,
} from "./support/kube-sim-release.ts";
import {
  bootstrapToken,
  diagnostics,
  exampleCodeDeployment,
  FAST_PROBE,
  installRelease,
  isReady,
  podsOf,
  userCodePods,
  waitForLoadedLocation,
} from "./support/release-inspection.ts";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const RELEASE = "bosun-pg";
const LOCATION = "example-code";
const TERMINAL = ["SUCCESS", "FAILURE", "CANCELED"];

let cluster: ChartCluster;

const values = {
  webserver: { image: BOSUN_IMAGE, readinessProbe: { enabled: true, ...FAST_PROBE } },
  daemon: { image: BOSUN_IMAGE, runCoordinator: { dequeueIntervalSeconds: 1 } },
  runLauncher: { type: "DefaultRunLauncher" },
  "bosun-user-deployments": { deployments: [exampleCodeDeployment(LOCATION)] },
};

async function getRun(runId: string): Promise<{ status: string; jobName: string }> {
  const { status, body } = await fetchInCluster(cluster, `http://${RELEASE}-webserver/api/runs/${runId}`, {
    token: await bootstrapToken(cluster, RELEASE),
  });
  if (status !== 200) throw new Error(`GET /api/runs/${runId} answered ${status}: ${JSON.stringify(body)}`);
  return (body as { run: { status: string; jobName: string } }).run;
}

async function databasePods(): Promise<k8s.V1Pod[]> {
  return podsOf(cluster, RELEASE, "postgresql");
}

const missing = await systemSuiteMissing("cluster", "postgres-server");

describe.skipIf(missing !== "")(
  `the bosun chart with its in-chart PostgreSQL on kube-sim${missing && ` (skipped: ${missing})`}`,
  () => {
    beforeAll(async () => {
      cluster = await startChartCluster("chart-pg");
    });

    afterAll(async () => {
      await cluster?.stop();
    });

    let runId = "";

    it("installs with the StatefulSet database, a bound claim and a generated password Secret, and every pod becomes Ready", async () => {
      await installRelease(cluster, RELEASE, values);
      const claim = await cluster.core.readNamespacedPersistentVolumeClaim({
        name: `${RELEASE}-postgresql-data`,
        namespace: cluster.namespace,
      });
      const secret = await cluster.core.readNamespacedSecret({
        name: `${RELEASE}-postgresql-secret`,
        namespace: cluster.namespace,
      });
      const ready: Record<string, boolean> = {};
      for (const component of ["postgresql", "webserver", "daemon"])
        ready[component] = (await podsOf(cluster, RELEASE, component)).every(isReady);
      ready.userCode = (await userCodePods(cluster)).every(isReady);
      expect({
        ready,
        claim: claim.status?.phase,
        generatedPassword: Buffer.from(secret.data?.["postgresql-password"] ?? "", "base64").length >= 16,
      }).toEqual({
        ready: { postgresql: true, webserver: true, daemon: true, userCode: true },
        claim: "Bound",
        generatedPassword: true,
      });
    });

    it("runs a job launched through the webserver API inside the daemon's pod, ending SUCCESS", async () => {
      const token = await bootstrapToken(cluster, RELEASE);
      await waitForLoadedLocation(cluster, RELEASE, LOCATION, token);
      const launched = await fetchInCluster(cluster, `http://${RELEASE}-webserver/api/runs`, {
        token,
        method: "POST",
        body: { location: LOCATION, job: "numbers_job" },
      });
      expect(launched.status, JSON.stringify(launched.body)).toBe(201);
      runId = (launched.body as { run: { runId: string } }).run.runId;
      const run = await waitFor(
        `run ${runId} to finish`,
        async () => {
          const current = await getRun(runId);
          return TERMINAL.includes(current.status) ? current : undefined;
        },
        90_000,
        1_000,
      );
      const jobs = await cluster.batch.listNamespacedJob({ namespace: cluster.namespace });
      const events = await fetchInCluster(cluster, `http://${RELEASE}-webserver/api/runs/${runId}/events`, {
        token,
      });
      expect(
        {
          status: run.status,
          runJobs: jobs.items.filter((j) => j.metadata?.name?.startsWith("bosun-run-")).length,
        },
        JSON.stringify(events.body),
      ).toEqual({ status: "SUCCESS", runJobs: 0 });
    });

    it("keeps the database's data on its claim when the PostgreSQL pod is replaced", async () => {
      const [before] = await databasePods();
      await cluster.core.deleteNamespacedPod({
        name: before?.metadata?.name ?? "",
        namespace: cluster.namespace,
      });
      await waitFor(
        "a new Ready PostgreSQL pod",
        async () => {
          const pods = await databasePods();
          return pods.length === 1 && pods[0]?.metadata?.uid !== before?.metadata?.uid && isReady(pods[0]!)
            ? pods
            : undefined;
        },
        90_000,
      ).catch(async (error: Error) => {
        throw new Error(`${error.message}\n${await diagnostics(cluster)}`);
      });
      // The webserver's connection pool replaces the connections the old server closed.
      const run = await waitFor(
        "the webserver to read the run again",
        () => getRun(runId),
        30_000,
        1_000,
      ).catch(async (error: Error) => {
        const log = await cluster
          .kubectl(["logs", "-n", cluster.namespace, `deploy/${RELEASE}-webserver`, "--tail", "40"])
          .catch((e: Error) => e.message);
        throw new Error(`${error.message}\n--- webserver\n${log}\n${await diagnostics(cluster)}`);
      });
      expect({ status: run.status, jobName: run.jobName }).toEqual({
        status: "SUCCESS",
        jobName: "numbers_job",
      });
    });

    it("deletes the database's claim with the rest of the release on helm uninstall", async () => {
      await cluster.helm(["uninstall", RELEASE, "-n", cluster.namespace, "--wait", "--timeout", "60s"]);
      const left = await waitFor(
        "the release's pods and claim to be gone",
        async () => {
          const claims = await cluster.core.listNamespacedPersistentVolumeClaim({
            namespace: cluster.namespace,
          });
          const pods = await cluster.core.listNamespacedPod({
            namespace: cluster.namespace,
            labelSelector: `app.kubernetes.io/instance=${RELEASE}`,
          });
          return claims.items.length === 0 && pods.items.length === 0 ? { claims: 0, pods: 0 } : undefined;
        },
        60_000,
      );
      expect(left).toEqual({ claims: 0, pods: 0 });
    });
  },
);
