import { validateObject } from "@bosun/kube-sim";
import { describe, expect, it } from "vitest";
import { K8sContainerContextSchema } from "../config/container-context.ts";
import { K8sRunLauncherConfigSchema } from "../config/launcher-config.ts";
import { parseK8sConfig } from "../config/parse.ts";
import { type ResolveRunInput, resolveRunK8sConfig } from "../config/resolve.ts";
import { K8sImageMissingError, K8sReservedFieldError } from "../errors.ts";
import { buildRunJob, type RunJobInput } from "./run-job.ts";

const RUN_ID = "c8f4e3c2-0915-4317-a168-bf8c86810fb2";
const ARGV = ["bosun", "api", "execute-run", RUN_ID];

function runJob(resolve: ResolveRunInput, overrides: Partial<RunJobInput> = {}) {
  return buildRunJob({
    runId: RUN_ID,
    jobName: "sum_job",
    codeLocation: "examples",
    argv: ARGV,
    config: resolveRunK8sConfig({ processEnv: {}, ...resolve }),
    bosunVersion: "0.1.0",
    ...overrides,
  });
}

const launcher = (input: unknown) => parseK8sConfig(K8sRunLauncherConfigSchema, input);
const location = (input: unknown) => parseK8sConfig(K8sContainerContextSchema, input);

const LABELS = {
  "app.kubernetes.io/name": "bosun",
  "app.kubernetes.io/instance": "bosun",
  "app.kubernetes.io/version": "0.1.0",
  "app.kubernetes.io/part-of": "bosun",
  "app.kubernetes.io/component": "run-worker",
  "bosun/job": "sum_job",
  "bosun/run-id": RUN_ID,
  "bosun/code-location": "examples",
};

describe("buildRunJob", () => {
  it("builds the minimal run Job with Bosun's defaults", () => {
    const job = runJob({ launcher: launcher({ image: "example/app:1" }) });
    expect(job).toEqual({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: `bosun-run-${RUN_ID}`, namespace: "default", labels: LABELS },
      spec: {
        backoffLimit: 0,
        ttlSecondsAfterFinished: 86400,
        template: {
          metadata: { labels: LABELS },
          spec: {
            restartPolicy: "Never",
            containers: [
              {
                name: "bosun",
                image: "example/app:1",
                command: ["bosun"],
                args: ARGV.slice(1),
                env: [
                  { name: "BOSUN_HOME", value: "/opt/bosun/bosun_home" },
                  { name: "BOSUN_RUN_ID", value: RUN_ID },
                  { name: "BOSUN_JOB_NAME", value: "sum_job" },
                ],
              },
            ],
          },
        },
      },
    });
    expect(validateObject(job)).toEqual([]);
  });

  it("builds a fully configured run Job from every scope", () => {
    const job = runJob({
      launcher: launcher({
        image: "example/app:1",
        job_namespace: "bosun",
        postgres_password_secret: "bosun-postgresql-secret",
        instance_config_map: "bosun-instance",
        env_config_maps: ["shared-env"],
        env_secrets: ["shared-secret"],
        service_account_name: "bosun-runner",
        image_pull_secrets: [{ name: "registry" }],
        run_k8s_config: {
          pod_spec_config: { node_selector: { disktype: "ssd" }, dns_policy: "ClusterFirst" },
          job_metadata: { annotations: { owner: "platform" } },
        },
      }),
      containerContext: location({
        namespace: "team-a",
        image_pull_policy: "Always",
        env_vars: ["FOO=bar"],
        env_config_maps: ["team-env"],
        labels: { team: "a" },
        volumes: [{ name: "cfg", config_map: { name: "team-config" } }],
        volume_mounts: [{ name: "cfg", mount_path: "/etc/team" }],
        resources: { limits: { cpu: "1", memory: "1Gi" } },
        security_context: { run_as_non_root: true },
      }),
      jobTags: {
        "bosun-k8s/config": {
          container_config: { resources: { limits: { cpu: "500m" } }, command: ["/tini", "--"] },
          pod_template_spec_metadata: {
            annotations: { "cluster-autoscaler.kubernetes.io/safe-to-evict": "true" },
          },
          pod_spec_config: {
            tolerations: [{ key: "dedicated", operator: "Equal", value: "data", effect: "NoSchedule" }],
            containers: [{ name: "proxy", image: "proxy:1" }],
          },
          job_spec_config: { ttl_seconds_after_finished: 7200, active_deadline_seconds: 3600 },
        },
      },
    });
    const labels = { ...LABELS, team: "a" };
    expect(job).toEqual({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: {
        name: `bosun-run-${RUN_ID}`,
        namespace: "team-a",
        labels,
        annotations: { owner: "platform" },
      },
      spec: {
        backoffLimit: 0,
        ttlSecondsAfterFinished: 7200,
        activeDeadlineSeconds: 3600,
        template: {
          metadata: { labels, annotations: { "cluster-autoscaler.kubernetes.io/safe-to-evict": "true" } },
          spec: {
            restartPolicy: "Never",
            serviceAccountName: "bosun-runner",
            imagePullSecrets: [{ name: "registry" }],
            nodeSelector: { disktype: "ssd" },
            dnsPolicy: "ClusterFirst",
            tolerations: [{ key: "dedicated", operator: "Equal", value: "data", effect: "NoSchedule" }],
            containers: [
              {
                name: "bosun",
                image: "example/app:1",
                imagePullPolicy: "Always",
                command: ["/tini", "--"],
                args: ARGV,
                env: [
                  { name: "BOSUN_HOME", value: "/opt/bosun/bosun_home" },
                  { name: "BOSUN_RUN_ID", value: RUN_ID },
                  { name: "BOSUN_JOB_NAME", value: "sum_job" },
                  {
                    name: "BOSUN_PG_PASSWORD",
                    valueFrom: {
                      secretKeyRef: { name: "bosun-postgresql-secret", key: "postgresql-password" },
                    },
                  },
                  { name: "FOO", value: "bar" },
                ],
                envFrom: [
                  { configMapRef: { name: "shared-env" } },
                  { configMapRef: { name: "team-env" } },
                  { secretRef: { name: "shared-secret" } },
                ],
                resources: { limits: { cpu: "500m", memory: "1Gi" } },
                securityContext: { runAsNonRoot: true },
                volumeMounts: [
                  { name: "cfg", mountPath: "/etc/team" },
                  {
                    name: "bosun-instance-config",
                    mountPath: "/opt/bosun/bosun_home/bosun.yaml",
                    subPath: "bosun.yaml",
                    readOnly: true,
                  },
                ],
              },
              { name: "proxy", image: "proxy:1" },
            ],
            volumes: [
              { name: "cfg", configMap: { name: "team-config" } },
              { name: "bosun-instance-config", configMap: { name: "bosun-instance" } },
            ],
          },
        },
      },
    });
    expect(validateObject(job)).toEqual([]);
  });

  it("names a resumed attempt's Job bosun-run-<id>-<n>", () => {
    const job = runJob({ launcher: launcher({ image: "i" }) }, { resumeAttempt: 2 });
    expect(job.metadata?.name).toBe(`bosun-run-${RUN_ID}-2`);
  });

  it("lets config override backoffLimit, ttlSecondsAfterFinished and restartPolicy", () => {
    const job = runJob({
      launcher: launcher({ image: "i" }),
      jobTags: {
        "bosun-k8s/config": {
          job_spec_config: { backoff_limit: 3, ttl_seconds_after_finished: 60 },
          pod_spec_config: { restart_policy: "OnFailure" },
        },
      },
    });
    expect(job.spec?.backoffLimit).toBe(3);
    expect(job.spec?.ttlSecondsAfterFinished).toBe(60);
    expect(job.spec?.template.spec?.restartPolicy).toBe("OnFailure");
    expect(validateObject(job)).toEqual([]);
  });

  it("uses container_config.image over the code location's and the launcher's", () => {
    const job = runJob({
      launcher: launcher({ image: "launcher:1" }),
      containerContext: location({ image: "location:1" }),
      jobTags: { "bosun-k8s/config": { container_config: { image: "tag:1" } } },
    });
    expect(job.spec?.template.spec?.containers[0]?.image).toBe("tag:1");
  });

  it("fails with K8sImageMissingError when no layer names an image", () => {
    expect(() => runJob({ launcher: launcher({}) })).toThrow(K8sImageMissingError);
    expect(() => runJob({ launcher: launcher({}) })).toThrow(`no image for run ${RUN_ID}`);
  });

  it("keeps Bosun's identity labels over user labels but lets users override the common ones", () => {
    const job = runJob({
      launcher: launcher({ image: "i" }),
      jobTags: {
        "bosun-k8s/config": {
          pod_template_spec_metadata: {
            labels: { "bosun/run-id": "spoofed", "app.kubernetes.io/part-of": "analytics" },
          },
        },
      },
    });
    const labels = job.spec?.template.metadata?.labels;
    expect(labels?.["bosun/run-id"]).toBe(RUN_ID);
    expect(labels?.["app.kubernetes.io/part-of"]).toBe("analytics");
  });

  it("sanitises label values from names that are not valid label values", () => {
    const job = runJob(
      { launcher: launcher({ image: "i" }) },
      { jobName: "nightly job (v2)", codeLocation: "données" },
    );
    expect(job.metadata?.labels?.["bosun/job"]).toBe("nightly-job-v2");
    expect(job.metadata?.labels?.["bosun/code-location"]).toBe("donnees");
    expect(validateObject(job)).toEqual([]);
  });

  it("rejects user env that would shadow Bosun's variables", () => {
    expect(() => runJob({ launcher: launcher({ image: "i", env_vars: ["BOSUN_RUN_ID=x"] }) })).toThrow(
      K8sReservedFieldError,
    );
    expect(() => runJob({ launcher: launcher({ image: "i", env_vars: ["BOSUN_HOME=/x"] }) })).toThrow(
      "use `bosun_home` in the run launcher config",
    );
  });

  it("never puts a secret value in the manifest: the password is a secretKeyRef", () => {
    const job = runJob({ launcher: launcher({ image: "i", postgres_password_secret: "pg-secret" }) });
    const password = job.spec?.template.spec?.containers[0]?.env?.find((e) => e.name === "BOSUN_PG_PASSWORD");
    expect(password).toEqual({
      name: "BOSUN_PG_PASSWORD",
      valueFrom: { secretKeyRef: { name: "pg-secret", key: "postgresql-password" } },
    });
    expect(password).not.toHaveProperty("value");
  });

  it("passes the caller's extra env after Bosun's own", () => {
    const job = runJob(
      { launcher: launcher({ image: "i" }) },
      { env: [{ name: "BOSUN_EXTRA", value: "1" }] },
    );
    expect(job.spec?.template.spec?.containers[0]?.env?.map((e) => e.name)).toEqual([
      "BOSUN_HOME",
      "BOSUN_RUN_ID",
      "BOSUN_JOB_NAME",
      "BOSUN_EXTRA",
    ]);
  });

  it("rejects a user volume that takes the instance config volume's name", () => {
    expect(() =>
      runJob({
        launcher: launcher({
          image: "i",
          instance_config_map: "inst",
          volumes: [{ name: "bosun-instance-config", emptyDir: {} }],
        }),
      }),
    ).toThrow(K8sReservedFieldError);
  });
});
