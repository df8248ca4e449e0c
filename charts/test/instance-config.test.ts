/**
 * The rendered bosun.yaml, workspace.yaml and code-server container context, read back by the
 * runtime's own parsers: what Helm renders is what Bosun accepts.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fixture, MATRIX } from "./support/fixtures.ts";
import { type Rendered, render } from "./support/render.ts";
import {
  validateContainerContext,
  validateInstanceHome,
  validateWorkspace,
} from "./support/runtime-config.ts";

const homes: string[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((home) => rm(home, { recursive: true, force: true })));
});

/** Writes the rendered bosun.yaml into a fresh BOSUN_HOME and validates it like a Bosun process. */
async function validateRendered(rendered: Rendered) {
  const home = await mkdtemp(path.join(os.tmpdir(), "bosun-chart-home-"));
  homes.push(home);
  await writeFile(
    path.join(home, "bosun.yaml"),
    rendered.get("ConfigMap", "demo-bosun-instance").data["bosun.yaml"],
  );
  return validateInstanceHome(home);
}

describe("the rendered bosun.yaml", () => {
  for (const [name, values] of Object.entries(MATRIX)) {
    it(`passes the runtime's own validation: ${name}`, async () => {
      const { storage, launcher } = await validateRendered(await render(values));
      expect(storage).toMatchObject({ kind: "fields", passwordEnv: "BOSUN_PG_PASSWORD" });
      expect(launcher).not.toBeNull();
    });
  }

  it("renders auth that the runtime reads: on by default, and OIDC with its role mapping", async () => {
    const byDefault = await validateRendered(await render({}));
    expect(byDefault.auth).toMatchObject({ enabled: true, oidc: null, roleMapping: [] });
    const { auth } = await validateRendered(
      await render({
        auth: {
          oidc: {
            issuer: "https://idp.example.com",
            clientId: "bosun",
            clientSecret: { existingSecret: "oidc" },
          },
          roleMapping: [{ value: "fin", role: "launcher", location: "finance" }],
          defaultRole: "viewer",
        },
      }),
    );
    expect(auth).toMatchObject({
      enabled: true,
      oidc: {
        issuer: "https://idp.example.com",
        clientId: "bosun",
        clientSecretEnv: "BOSUN_OIDC_CLIENT_SECRET",
      },
      roleMapping: [{ claim: "groups", value: "fin", grant: { role: "launcher", location: "finance" } }],
    });
  });

  it("keeps maxConcurrentRuns: 0 (hold every run in the queue) and the tag limits", async () => {
    const { daemon, raw } = await validateRendered(
      await render({
        daemon: {
          runCoordinator: {
            maxConcurrentRuns: 0,
            tagConcurrencyLimits: [
              { key: "database", value: "warehouse", limit: 2 },
              { key: "team", value: { applyLimitPerUniqueValue: true }, limit: 1 },
              { key: "backfill", limit: 0 },
            ],
          },
        },
      }),
    );
    expect(raw.run_coordinator).toMatchObject({ max_concurrent_runs: 0 });
    expect(daemon.runCoordinator.maxConcurrentRuns).toBe(0);
    expect(daemon.runCoordinator.tagConcurrencyLimits).toEqual([
      { key: "database", value: "warehouse", limit: 2 },
      { key: "team", limit: 1, perUniqueValue: true },
      { key: "backfill", limit: 0 },
    ]);
  });

  it("renders compute_logs and retention that the runtime reads as the chart's defaults", async () => {
    const { computeLogs, daemon } = await validateRendered(await render({}));
    const DAY_MS = 86_400_000;
    expect({ computeLogs, retention: daemon.retention }).toEqual({
      computeLogs: { enabled: true, flushIntervalMs: 200, maxBytesPerStep: 10_485_760 },
      retention: {
        enabled: true,
        intervalMs: 3_600_000,
        schedule: { SKIPPED: null, SUCCESS: null, FAILURE: null },
        sensor: { SKIPPED: 7 * DAY_MS, SUCCESS: null, FAILURE: null },
        runs: { purgeAfterMs: null },
        audit: { purgeAfterMs: 365 * DAY_MS },
        closedDeployments: { purgeAfterMs: 30 * DAY_MS },
      },
    });
  });

  it("carries compute-log and retention values, nested keys included, to the runtime", async () => {
    const { raw, computeLogs, daemon } = await validateRendered(
      await render({
        computeLogs: { enabled: false, flushIntervalSeconds: 1, maxBytesPerStep: -1 },
        retention: {
          intervalSeconds: 600,
          schedule: { purgeAfterDays: 30 },
          sensor: { purgeAfterDays: 14 },
          runs: { purgeAfterDays: 90 },
          audit: { purgeAfterDays: 30 },
        },
      }),
    );
    const DAY_MS = 86_400_000;
    expect({
      rawRuns: raw.retention,
      computeLogs,
      sensor: daemon.retention.sensor,
      runs: daemon.retention.runs,
      audit: daemon.retention.audit,
    }).toEqual({
      rawRuns: {
        enabled: true,
        interval_seconds: 600,
        schedule: { purge_after_days: 30 },
        sensor: { purge_after_days: 14 },
        runs: { purge_after_days: 90 },
        audit: { purge_after_days: 30 },
      },
      computeLogs: { enabled: false, flushIntervalMs: 1000, maxBytesPerStep: null },
      sensor: { SKIPPED: 14 * DAY_MS, SUCCESS: 14 * DAY_MS, FAILURE: 14 * DAY_MS },
      runs: { purgeAfterMs: 90 * DAY_MS },
      audit: { purgeAfterMs: 30 * DAY_MS },
    });
  });

  it("carries every daemon setting the values give, in snake_case", async () => {
    const { raw } = await validateRendered(
      await render({
        daemon: {
          runCoordinator: { maxConcurrentRuns: -1, dequeueIntervalSeconds: 2, maxParallelLaunches: 4 },
          runMonitoring: {
            enabled: true,
            pollIntervalSeconds: 15,
            startTimeoutSeconds: 300,
            cancelTimeoutSeconds: 120,
            workerHeartbeatIntervalSeconds: 10,
            workerHeartbeatTimeoutSeconds: 60,
          },
          scheduler: { enabled: false, maxCatchupRuns: 3, maxIntervalSeconds: 20, staleTickSeconds: 600 },
          sensors: { enabled: true, intervalSeconds: 10, staleEvaluationSeconds: 400 },
        },
      }),
    );
    expect(raw.run_coordinator).toEqual({
      max_concurrent_runs: -1,
      tag_concurrency_limits: [],
      dequeue_interval_seconds: 2,
      max_parallel_launches: 4,
    });
    expect(raw.run_monitoring).toEqual({
      enabled: true,
      poll_interval_seconds: 15,
      start_timeout_seconds: 300,
      cancel_timeout_seconds: 120,
      worker_heartbeat_interval_seconds: 10,
      worker_heartbeat_timeout_seconds: 60,
    });
    expect(raw.scheduler).toEqual({
      enabled: false,
      max_catchup_runs: 3,
      max_interval_seconds: 20,
      stale_tick_seconds: 600,
    });
    expect(raw.sensors).toEqual({ enabled: true, interval_seconds: 10, stale_evaluation_seconds: 400 });
  });

  it("carries every K8sRunLauncher field of the values, which the launcher's schema accepts", async () => {
    const { launcher } = await validateRendered(
      await render({
        imagePullSecrets: [{ name: "regcred" }],
        runLauncher: {
          env: { WAREHOUSE: "snowflake" },
          config: {
            k8sRunLauncher: {
              image: "docker.io/acme/pipelines:1.2.3",
              imagePullPolicy: "Always",
              jobNamespace: "runs",
              loadInclusterConfig: true,
              envConfigMaps: ["pipeline-config"],
              envSecrets: ["pipeline-secrets"],
              envVars: ["LOG_LEVEL=debug", "AWS_REGION"],
              volumeMounts: [{ name: "cache", mountPath: "/cache" }],
              volumes: [{ name: "cache", emptyDir: {} }],
              labels: { team: "data" },
              resources: { limits: { cpu: "1", memory: "1Gi" } },
              securityContext: { runAsNonRoot: true },
              schedulerName: "batch-scheduler",
              failPodOnRunFailure: true,
              jobTtlSecondsAfterFinished: 3600,
              runK8sConfig: {
                containerConfig: { resources: { requests: { cpu: "250m" } } },
                podSpecConfig: { node_selector: { pool: "runs" } },
              },
            },
          },
        },
      }),
    );
    expect(launcher).toMatchObject({
      image: "docker.io/acme/pipelines:1.2.3",
      image_pull_policy: "Always",
      image_pull_secrets: [{ name: "regcred" }],
      job_namespace: "runs",
      load_incluster_config: true,
      env_config_maps: ["demo-bosun-run-env", "pipeline-config"],
      env_secrets: ["pipeline-secrets"],
      env_vars: ["LOG_LEVEL=debug", "AWS_REGION"],
      labels: { team: "data" },
      scheduler_name: "batch-scheduler",
      fail_pod_on_run_failure: true,
      job_ttl_seconds_after_finished: 3600,
      instance_config_map: "demo-bosun-instance",
      postgres_password_secret: "demo-bosun-postgresql-secret",
      bosun_home: "/opt/bosun/bosun_home",
      service_account_name: "demo-bosun",
    });
    expect(launcher?.run_k8s_config?.pod_spec_config).toEqual({ nodeSelector: { pool: "runs" } });
  });

  it("defaults the run Jobs' namespace to the release's and their TTL to the chart-wide one", async () => {
    const { launcher } = await validateRendered(await render({ jobTtlSecondsAfterFinished: 600 }));
    expect(launcher).toMatchObject({ job_namespace: "data", job_ttl_seconds_after_finished: 600 });
    // Run pods get a writable BOSUN_HOME and /tmp, so a read-only root filesystem works for them too.
    expect(launcher?.volumes).toEqual([
      { name: "bosun-home", emptyDir: {} },
      { name: "bosun-tmp", emptyDir: {} },
    ]);
    expect(launcher?.volume_mounts).toEqual([
      { name: "bosun-home", mountPath: "/opt/bosun/bosun_home" },
      { name: "bosun-tmp", mountPath: "/tmp" },
    ]);
  });

  it("configures the DefaultRunLauncher when asked", async () => {
    const { daemon, raw } = await validateRendered(
      await render({
        runLauncher: {
          type: "DefaultRunLauncher",
          config: { defaultRunLauncher: { logDirectory: "/logs" } },
        },
      }),
    );
    expect(raw.run_launcher).toEqual({ default: { log_directory: "/logs" } });
    expect(daemon.runLauncher.kind).toBe("default");
  });
});

describe("the rendered workspace.yaml", () => {
  it("lists each code server of the subchart at its Service, and the runtime accepts it", async () => {
    const rendered = await render({
      "bosun-user-deployments": {
        deployments: [
          {
            name: "sales",
            image: { repository: "acme/sales", tag: "1.0" },
            codeServerArgs: ["-f", "/app/sales.ts"],
          },
          {
            name: "marketing",
            image: { repository: "acme/marketing", tag: "2.0" },
            codeServerArgs: ["-m", "@acme/marketing"],
            port: 4100,
          },
        ],
      },
    });
    const workspace = validateWorkspace(
      rendered.get("ConfigMap", "demo-bosun-workspace").data["workspace.yaml"],
    );
    expect(workspace.locations).toEqual([
      { kind: "grpc_server", name: "sales", host: "sales", port: 4000 },
      { kind: "grpc_server", name: "marketing", host: "marketing", port: 4100 },
    ]);
  });

  it("is accepted by the runtime when the code servers live in another release", async () => {
    const rendered = await render(fixture("separate-user-code"));
    const workspace = validateWorkspace(
      rendered.get("ConfigMap", "demo-bosun-workspace").data["workspace.yaml"],
    );
    expect(workspace.locations).toHaveLength(2);
  });
});

describe("the code server's container context", () => {
  it("passes the deployment's Kubernetes settings, which the launcher's schema accepts", async () => {
    const rendered = await render({
      imagePullSecrets: [{ name: "regcred" }],
      "bosun-user-deployments": {
        imagePullSecrets: [{ name: "regcred" }],
        deployments: [
          {
            name: "sales",
            image: { repository: "acme/sales", tag: "1.4.2", pullPolicy: "Always" },
            codeServerArgs: ["-f", "/app/definitions.ts"],
            env: [{ name: "LOG_LEVEL", value: "debug" }],
            envConfigMaps: ["sales-config"],
            envSecrets: ["sales-credentials"],
            labels: { team: "sales" },
            resources: { limits: { memory: "2Gi" } },
            nodeSelector: { pool: "sales" },
            tolerations: [{ key: "dedicated", operator: "Equal", value: "sales", effect: "NoSchedule" }],
            volumes: [{ name: "models", persistentVolumeClaim: { claimName: "models" } }],
            volumeMounts: [{ name: "models", mountPath: "/models", readOnly: true }],
          },
        ],
      },
    });
    const container = rendered.container("Deployment", "demo-bosun-user-deployments-sales");
    const context = container.env.find(
      (variable: { name: string }) => variable.name === "BOSUN_CONTAINER_CONTEXT",
    );
    const parsed = validateContainerContext(context.value);
    expect(parsed).toMatchObject({
      image: "acme/sales:1.4.2",
      image_pull_policy: "Always",
      image_pull_secrets: [{ name: "regcred" }],
      env_config_maps: ["sales-config"],
      env_secrets: ["sales-credentials"],
      labels: { team: "sales" },
      resources: { limits: { memory: "2Gi" } },
      volumes: [{ name: "models", persistentVolumeClaim: { claimName: "models" } }],
      volume_mounts: [{ name: "models", mountPath: "/models", readOnly: true }],
      security_context: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
    });
    expect(parsed.run_k8s_config?.container_config).toEqual({ env: [{ name: "LOG_LEVEL", value: "debug" }] });
    expect(parsed.run_k8s_config?.pod_spec_config).toMatchObject({
      nodeSelector: { pool: "sales" },
      tolerations: [{ key: "dedicated", operator: "Equal", value: "sales", effect: "NoSchedule" }],
      securityContext: { runAsNonRoot: true },
    });
  });

  it("sends an env map through the deployment's env ConfigMap", async () => {
    const rendered = await render({
      "bosun-user-deployments": {
        deployments: [
          {
            name: "sales",
            image: { repository: "acme/sales" },
            codeServerArgs: ["-f", "/app/a.ts"],
            env: { REGION: "eu" },
          },
        ],
      },
    });
    const configMap = rendered.get("ConfigMap", "demo-bosun-user-deployments-sales-env");
    expect(configMap.data).toEqual({ REGION: "eu" });
    const container = rendered.container("Deployment", "demo-bosun-user-deployments-sales");
    expect(container.envFrom).toEqual([{ configMapRef: { name: "demo-bosun-user-deployments-sales-env" } }]);
    const context = container.env.find(
      (variable: { name: string }) => variable.name === "BOSUN_CONTAINER_CONTEXT",
    );
    expect(validateContainerContext(context.value).env_config_maps).toEqual([
      "demo-bosun-user-deployments-sales-env",
    ]);
  });

  it("is left out when includeConfigInLaunchedRuns is off", async () => {
    const rendered = await render({
      "bosun-user-deployments": {
        deployments: [
          {
            name: "sales",
            image: { repository: "acme/sales" },
            codeServerArgs: ["-f", "/app/a.ts"],
            includeConfigInLaunchedRuns: { enabled: false },
          },
        ],
      },
    });
    const container = rendered.container("Deployment", "demo-bosun-user-deployments-sales");
    expect(container.env.map((variable: { name: string }) => variable.name)).toEqual(["BOSUN_HOME"]);
  });
});
