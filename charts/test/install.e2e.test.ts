/**
 * The chart end to end on kube-sim: `helm install` against an external (test) PostgreSQL, with auth on
 * (the default): the API refuses a call without a token, and a run launched through it with the chart's
 * bootstrap admin token runs in a `bosun-run-*` Job carrying the chart's runK8sConfig, `helm upgrade`
 * rolling the webserver and daemon, and `helm uninstall` leaving nothing of the release.
 * The steps share one release and run in order.
 */

import { systemSuiteMissing } from "@bosun/test-support";
import type * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import YAML from "yaml";
import {
  BOSUN_IMAGE,
  type ChartCluster,
  CODE_IMAGE,
  DB_SECRET,
  fetchInCluster,
  POD_KUBECONFIG_CONFIG_MAP,
  POD_KUBECONFIG_DIR,
  startChartCluster,
  waitFor,
} from "./support/kube-sim-release.ts";
import {
  bootstrapToken,
  diagnostics as clusterDiagnostics,
  userCodePods as clusterUserCodePods,
  exampleCodeDeployment,
  FAST_PROBE as fast,
  installRelease,
  isReady,
  podsOf as releasePodsOf,
  waitForLoadedLocation,
} from "./support/release-inspection.ts";
import { BOSUN_CHART } from "./support/render.ts";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const RELEASE = "bosun";
const LOCATION = "example-code";

function chartValues(cluster: ChartCluster): Record<string, unknown> {
  const kubeVolume = { name: "sim-kubeconfig", configMap: { name: POD_KUBECONFIG_CONFIG_MAP } };
  return {
    global: { postgresqlSecretName: DB_SECRET },
    generatePostgresqlPasswordSecret: false,
    postgresql: {
      enabled: false,
      postgresqlHost: cluster.postgresql.host,
      postgresqlUsername: cluster.postgresql.username,
      postgresqlDatabase: cluster.postgresql.database,
      service: { port: cluster.postgresql.port },
    },
    webserver: { image: BOSUN_IMAGE, readinessProbe: { enabled: true, ...fast } },
    daemon: {
      image: BOSUN_IMAGE,
      runCoordinator: { maxConcurrentRuns: 10, dequeueIntervalSeconds: 1 },
      runMonitoring: { pollIntervalSeconds: 2 },
      volumes: [kubeVolume],
      volumeMounts: [{ name: "sim-kubeconfig", mountPath: POD_KUBECONFIG_DIR, readOnly: true }],
    },
    runLauncher: {
      type: "K8sRunLauncher",
      config: {
        k8sRunLauncher: {
          loadInclusterConfig: false,
          kubeconfigFile: `${POD_KUBECONFIG_DIR}/config`,
          runK8sConfig: {
            podTemplateSpecMetadata: { annotations: { "bosun.test/pod": "from-chart" } },
            jobSpecConfig: { ttlSecondsAfterFinished: 7200 },
            jobMetadata: { annotations: { "bosun.test/job": "from-chart" } },
          },
        },
      },
    },
    "bosun-user-deployments": {
      deployments: [
        {
          ...exampleCodeDeployment(LOCATION),
          // Reaches run pods through the location's container context (its container_config).
          env: [{ name: "BOSUN_TEST_FROM_LOCATION", value: "location" }],
        },
      ],
    },
  };
}

let cluster: ChartCluster;
const timings: Record<string, number> = {};

async function timed<T>(step: string, body: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await body();
  } finally {
    timings[step] = Date.now() - started;
  }
}

const podsOf = (component: string) => releasePodsOf(cluster, RELEASE, component);
const userCodePods = () => clusterUserCodePods(cluster);
const diagnostics = () => clusterDiagnostics(cluster);

const missing = await systemSuiteMissing("cluster", "postgres-server");

describe.skipIf(missing !== "")(`the bosun chart on kube-sim${missing && ` (skipped: ${missing})`}`, () => {
  beforeAll(async () => {
    cluster = await startChartCluster("chart-e2e");
  });

  afterAll(async () => {
    await cluster?.stop();
    console.log(`chart e2e timings (ms): ${JSON.stringify(timings)}`);
  });

  it("installs against an external PostgreSQL and the webserver, daemon and user-code pods become Ready", async () => {
    await timed("install", () => installRelease(cluster, RELEASE, chartValues(cluster)));
    const ready: Record<string, boolean> = {};
    for (const component of ["webserver", "daemon", "user-deployment"]) {
      const pods = component === "user-deployment" ? await userCodePods() : await podsOf(component);
      ready[component] = pods.length === 1 && pods.every(isReady);
    }
    expect(ready).toEqual({ webserver: true, daemon: true, "user-deployment": true });
  });

  it("refuses an API call without a token, and answers the bootstrap admin token from the chart's Secret", async () => {
    const anonymous = await fetchInCluster(cluster, `http://${RELEASE}-webserver/api/runs`);
    expect(anonymous.status).toBe(401);
    const token = await bootstrapToken(cluster, RELEASE);
    expect(token).toMatch(/^bosun_user_[A-Za-z0-9]{43}$/);
    const me = await fetchInCluster(cluster, `http://${RELEASE}-webserver/api/auth/me`, { token });
    expect(me.body).toMatchObject({
      authEnabled: true,
      name: "bootstrap-admin",
      grants: [{ role: "admin" }],
    });
  });

  it("runs a job launched through the webserver API in a bosun-run Job carrying the runK8sConfig merged from chart, location and run tag, ending SUCCESS", async () => {
    const token = await bootstrapToken(cluster, RELEASE);
    await timed("location-loaded", () => waitForLoadedLocation(cluster, RELEASE, LOCATION, token));
    const launched = await timed("launch", () =>
      fetchInCluster(cluster, `http://${RELEASE}-webserver/api/runs`, {
        token,
        method: "POST",
        body: {
          location: LOCATION,
          job: "numbers_job",
          tags: {
            "bosun-k8s/config": JSON.stringify({
              pod_template_spec_metadata: { annotations: { "bosun.test/tag": "from-run-tag" } },
            }),
          },
        },
      }),
    );
    expect(launched.status, JSON.stringify(launched.body)).toBe(201);
    const runId = (launched.body as { run: { runId: string } }).run.runId;
    const runEvents = async () =>
      (await cluster.db.storage.events.getEvents(runId))
        .map((e) => `${e.type}${e.stepKey ? `[${e.stepKey}]` : ""}: ${e.message}`)
        .join("\n");
    const created = await timed("job-created", () =>
      waitFor("the run's bosun-run Job (or the run's end)", async () => {
        const jobs = await cluster.batch.listNamespacedJob({ namespace: cluster.namespace });
        const found = jobs.items.find((j) => j.metadata?.name?.startsWith("bosun-run-"));
        if (found) return { job: found };
        const record = await cluster.db.storage.runs.getRun(runId);
        return record && ["FAILURE", "CANCELED"].includes(record.status) ? { job: undefined } : undefined;
      }),
    );
    if (!created.job) {
      const daemonLog = await cluster
        .kubectl(["logs", "-n", cluster.namespace, "deploy/bosun-daemon", "--tail", "40"])
        .catch((e: Error) => e.message);
      const prev = await cluster
        .kubectl(["logs", "-n", cluster.namespace, "deploy/bosun-daemon", "--previous", "--tail", "40"])
        .catch((e: Error) => e.message);
      throw new Error(
        `the run ended without a Job:\n${await runEvents()}\n--- daemon\n${daemonLog}\n--- previous\n${prev}`,
      );
    }
    const job = created.job;
    const run = await timed("run", () =>
      waitFor(
        `run ${runId} to finish`,
        async () => {
          const record = await cluster.db.storage.runs.getRun(runId);
          return record && ["SUCCESS", "FAILURE", "CANCELED"].includes(record.status) ? record : undefined;
        },
        90_000,
      ).catch(async (error: Error) => {
        throw new Error(`${error.message}\n${await diagnostics()}`);
      }),
    );
    expect(run.status, `${await runEvents()}\n${run.status === "SUCCESS" ? "" : await diagnostics()}`).toBe(
      "SUCCESS",
    );
    expect({
      name: job.metadata?.name,
      jobAnnotation: job.metadata?.annotations?.["bosun.test/job"],
      ttl: job.spec?.ttlSecondsAfterFinished,
      podAnnotations: {
        chart: job.spec?.template.metadata?.annotations?.["bosun.test/pod"],
        tag: job.spec?.template.metadata?.annotations?.["bosun.test/tag"],
      },
      locationEnv: job.spec?.template.spec?.containers[0]?.env?.find(
        (e) => e.name === "BOSUN_TEST_FROM_LOCATION",
      )?.value,
      image: job.spec?.template.spec?.containers[0]?.image,
    }).toEqual({
      name: expect.stringMatching(/^bosun-run-/),
      jobAnnotation: "from-chart",
      ttl: 7200,
      podAnnotations: { chart: "from-chart", tag: "from-run-tag" },
      locationEnv: "location",
      image: `${CODE_IMAGE.repository}:${CODE_IMAGE.tag}`,
    });
  });

  it("rolls the webserver and daemon pods, and not the user code, when helm upgrade changes an instance setting", async () => {
    const checksum = (pods: k8s.V1Pod[]) =>
      pods.map((p) => p.metadata?.annotations?.["checksum/instance-config"]);
    const checksumsBefore = [...checksum(await podsOf("webserver")), ...checksum(await podsOf("daemon"))];
    const tokenBefore = await bootstrapToken(cluster, RELEASE);
    const before = {
      webserver: (await podsOf("webserver")).map((p) => p.metadata?.uid),
      daemon: (await podsOf("daemon")).map((p) => p.metadata?.uid),
      userCode: (await userCodePods()).map((p) => p.metadata?.uid),
    };
    await timed("upgrade", () =>
      cluster.helm([
        "upgrade",
        RELEASE,
        BOSUN_CHART,
        "-n",
        cluster.namespace,
        "--reuse-values",
        "--set",
        "daemon.runCoordinator.maxConcurrentRuns=3",
        "--wait",
        "--timeout",
        "100s",
      ]),
    );
    const after = await waitFor("the old webserver and daemon pods to be gone", async () => {
      const webserver = await podsOf("webserver");
      const daemon = await podsOf("daemon");
      const done = [...webserver, ...daemon].every(
        (p) => isReady(p) && ![...before.webserver, ...before.daemon].includes(p.metadata?.uid),
      );
      return done && webserver.length === 1 && daemon.length === 1
        ? { webserver, daemon, userCode: await userCodePods() }
        : undefined;
    });
    const instance = await cluster.core.readNamespacedConfigMap({
      name: `${RELEASE}-instance`,
      namespace: cluster.namespace,
    });
    const checksumsAfter = [...checksum(after.webserver), ...checksum(after.daemon)];
    // The generated bootstrap token survives the upgrade (lookup), and the new webserver still takes it.
    expect(await bootstrapToken(cluster, RELEASE)).toBe(tokenBefore);
    const me = await fetchInCluster(cluster, `http://${RELEASE}-webserver/api/auth/me`, {
      token: tokenBefore,
    });
    expect(me.status).toBe(200);
    expect({
      maxConcurrentRuns: YAML.parse(instance.data?.["bosun.yaml"] ?? "{}").run_coordinator
        ?.max_concurrent_runs,
      checksumChanged: checksumsAfter.map((c, i) => c !== undefined && c !== checksumsBefore[i]),
      userCodeKept: after.userCode.map((p) => p.metadata?.uid),
    }).toEqual({ maxConcurrentRuns: 3, checksumChanged: [true, true], userCodeKept: before.userCode });
  });

  it("leaves no object of the release behind after helm uninstall, only finished run Jobs awaiting their TTL", async () => {
    await timed("uninstall", () =>
      cluster.helm(["uninstall", RELEASE, "-n", cluster.namespace, "--wait", "--timeout", "60s"]),
    );
    const kinds = (await cluster.kubectl(["api-resources", "--namespaced", "--verbs=list", "-o", "name"]))
      .split("\n")
      .filter((kind) => kind && !kind.startsWith("events"));
    // Run Jobs belong to runs, not to the release (as in any launcher-made Job): they stay until their TTL.
    const ofRun = (o: k8s.KubernetesObject) =>
      o.metadata?.name?.startsWith("bosun-run-") === true ||
      o.metadata?.labels?.["job-name"]?.startsWith("bosun-run-") === true;
    let lastLeft: string[] = [];
    const left = await waitFor(
      "the release's objects to be deleted",
      async () => {
        const list = JSON.parse(
          await cluster.kubectl(["get", kinds.join(","), "-n", cluster.namespace, "-o", "json"]),
        ) as {
          items: k8s.KubernetesObject[];
        };
        lastLeft = list.items
          .filter((o) => {
            const labels = o.metadata?.labels ?? {};
            return (
              labels["app.kubernetes.io/instance"] === RELEASE ||
              o.metadata?.annotations?.["meta.helm.sh/release-name"] === RELEASE ||
              labels.owner === "helm"
            );
          })
          .filter((o) => !ofRun(o))
          .map((o) => `${o.kind}/${o.metadata?.name}`);
        return lastLeft.length === 0 ? list.items : undefined;
      },
      30_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; left: ${lastLeft.join(", ")}`);
    });
    const runJobs = left.filter((o) => o.kind === "Job" && ofRun(o)) as k8s.V1Job[];
    expect({
      running: left
        .filter((o) => o.kind === "Pod" && (o as k8s.V1Pod).status?.phase === "Running")
        .map((o) => o.metadata?.name),
      runJobs: runJobs.map((j) => ({ succeeded: j.status?.succeeded, ttl: j.spec?.ttlSecondsAfterFinished })),
    }).toEqual({ running: [], runJobs: [{ succeeded: 1, ttl: 7200 }] });
  });
});
