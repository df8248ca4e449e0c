import { validateObject } from "@bosun/kube-sim";
import { describe, expect, it } from "vitest";
import { K8sContainerContextSchema } from "../config/container-context.ts";
import { K8sJobExecutorConfigSchema } from "../config/executor-config.ts";
import { K8sRunLauncherConfigSchema } from "../config/launcher-config.ts";
import { parseK8sConfig } from "../config/parse.ts";
import { type ResolveStepInput, resolveStepK8sConfig } from "../config/resolve.ts";
import { K8sImageMissingError, K8sOwnerReferenceError } from "../errors.ts";
import { stepJobName } from "./names.ts";
import { buildStepJob, type StepJobInput } from "./step-job.ts";

const RUN_ID = "9a1e2f7c-1111-4a2b-9c3d-0123456789ab";
const ARGV = ["bosun", "api", "execute-step"];
const launcher = (input: unknown) => parseK8sConfig(K8sRunLauncherConfigSchema, input);
const location = (input: unknown) => parseK8sConfig(K8sContainerContextSchema, input);
const executor = (input: unknown) => parseK8sConfig(K8sJobExecutorConfigSchema, input);

function stepJob(
  resolve: Omit<ResolveStepInput, "opName"> & { opName?: string },
  overrides: Partial<StepJobInput> = {},
) {
  return buildStepJob({
    runId: RUN_ID,
    stepKey: "total",
    jobName: "sum_job",
    argv: ARGV,
    config: resolveStepK8sConfig({ opName: "total", processEnv: {}, ...resolve }),
    bosunVersion: "0.1.0",
    ...overrides,
  });
}

describe("buildStepJob", () => {
  it("builds the step Job with the step's identity, extra env and owner reference", () => {
    const job = stepJob(
      {
        launcher: launcher({ image: "example/app:1", postgres_password_secret: "pg" }),
        containerContext: location({ namespace: "team-a" }),
        executor: executor({
          step_k8s_config: { container_config: { resources: { requests: { cpu: "200m", memory: "32Mi" } } } },
        }),
      },
      {
        codeLocation: "examples",
        env: [{ name: "BOSUN_EXECUTE_STEP_ARGS", value: "eJx..." }],
        owner: { name: `bosun-run-${RUN_ID}`, uid: "0b9c6f0e-uid", namespace: "team-a" },
      },
    );
    const labels = {
      "app.kubernetes.io/name": "bosun",
      "app.kubernetes.io/instance": "bosun",
      "app.kubernetes.io/version": "0.1.0",
      "app.kubernetes.io/part-of": "bosun",
      "app.kubernetes.io/component": "step-worker",
      "bosun/job": "sum_job",
      "bosun/run-id": RUN_ID,
      "bosun/op": "total",
      "bosun/code-location": "examples",
    };
    expect(job).toEqual({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: {
        name: stepJobName(RUN_ID, "total"),
        namespace: "team-a",
        labels,
        ownerReferences: [
          { apiVersion: "batch/v1", kind: "Job", name: `bosun-run-${RUN_ID}`, uid: "0b9c6f0e-uid" },
        ],
      },
      spec: {
        backoffLimit: 0,
        ttlSecondsAfterFinished: 86400,
        template: {
          metadata: { labels },
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
                  { name: "BOSUN_STEP_KEY", value: "total" },
                  {
                    name: "BOSUN_PG_PASSWORD",
                    valueFrom: { secretKeyRef: { name: "pg", key: "postgresql-password" } },
                  },
                  { name: "BOSUN_EXECUTE_STEP_ARGS", value: "eJx..." },
                ],
                resources: { requests: { cpu: "200m", memory: "32Mi" } },
              },
            ],
          },
        },
      },
    });
    expect(validateObject(job)).toEqual([]);
  });

  it("names a retry's Job bosun-step-<hash>-<attempt>", () => {
    const job = stepJob({ launcher: launcher({ image: "i" }) }, { attempt: 2 });
    expect(job.metadata?.name).toBe(`${stepJobName(RUN_ID, "total")}-2`);
    expect(job.metadata?.name).toMatch(/^bosun-step-[0-9a-f]{32}-2$/);
  });

  it("takes op-level config from the op tag and per_step_k8s_config, not from the job tag", () => {
    const job = stepJob({
      launcher: launcher({ image: "i" }),
      executor: executor({
        per_step_k8s_config: { total: { pod_spec_config: { node_selector: { pool: "big" } } } },
      }),
      opTags: { "bosun-k8s/config": { container_config: { resources: { limits: { memory: "4Gi" } } } } },
    });
    expect(job.spec?.template.spec?.nodeSelector).toEqual({ pool: "big" });
    expect(job.spec?.template.spec?.containers[0]?.resources).toEqual({ limits: { memory: "4Gi" } });
    expect(validateObject(job)).toEqual([]);
  });

  it("uses the executor's image over the launcher's, and the code location's over both", () => {
    const l = launcher({ image: "launcher:1" });
    expect(
      stepJob({ launcher: l, executor: executor({ image: "executor:1" }) }).spec?.template.spec?.containers[0]
        ?.image,
    ).toBe("executor:1");
    expect(
      stepJob({
        launcher: l,
        executor: executor({ image: "executor:1" }),
        containerContext: location({ image: "loc:1" }),
      }).spec?.template.spec?.containers[0]?.image,
    ).toBe("loc:1");
  });

  it("fails with K8sImageMissingError naming the step when no layer names an image", () => {
    expect(() => stepJob({})).toThrow(K8sImageMissingError);
    expect(() => stepJob({})).toThrow(`no image for step total of run ${RUN_ID}`);
  });

  it("rejects an owner in another namespace", () => {
    expect(() =>
      stepJob(
        { launcher: launcher({ image: "i" }) },
        { owner: { name: "bosun-run-x", uid: "u", namespace: "elsewhere" } },
      ),
    ).toThrow(K8sOwnerReferenceError);
  });

  it("gives an always-valid op label for unusual step keys", () => {
    const job = stepJob({ launcher: launcher({ image: "i" }) }, { stepKey: "fan_out[some key with spaces]" });
    expect(job.metadata?.labels?.["bosun/op"]).toBe("fan_out-some-key-with-spaces");
    expect(validateObject(job)).toEqual([]);
  });
});
