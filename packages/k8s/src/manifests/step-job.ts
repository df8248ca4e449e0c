/** The Kubernetes Job of one step (`bosun api execute-step`), launched by the k8sJobExecutor. */
import type { V1EnvVar, V1Job } from "@kubernetes/client-node";
import type { ResolvedK8sConfig } from "../config/resolve.ts";
import { K8sImageMissingError, K8sOwnerReferenceError } from "../errors.ts";
import { buildJobManifest } from "./job-manifest.ts";
import { commonLabels, identityLabels } from "./labels.ts";
import { stepJobName } from "./names.ts";

/** The run worker's Job, which owns step Jobs so that deleting it deletes them. */
export interface StepJobOwner {
  readonly name: string;
  readonly uid: string;
  readonly namespace: string;
}

export interface StepJobInput {
  readonly runId: string;
  readonly stepKey: string;
  /** The Bosun job the run executes. */
  readonly jobName: string;
  readonly codeLocation?: string;
  /** 0 for the first attempt; a retry n ≥ 1 names the Job `bosun-step-<hash>-<n>`. */
  readonly attempt?: number;
  /** The container's command line, e.g. `["bosun", "api", "execute-step"]`; goes into `args`. */
  readonly argv: readonly string[];
  /** More Bosun variables (e.g. the serialised step arguments), after BOSUN_STEP_KEY and BOSUN_PG_PASSWORD. */
  readonly env?: readonly V1EnvVar[];
  /** From `resolveStepK8sConfig`. */
  readonly config: ResolvedK8sConfig;
  readonly bosunVersion: string;
  readonly instanceName?: string;
  /** Makes the step Job a dependent of the run's Job (same namespace only). */
  readonly owner?: StepJobOwner;
}

/**
 * The step worker Job. Throws `K8sImageMissingError` when no layer names an image, and
 * `K8sOwnerReferenceError` when the owner is in another namespace.
 *
 * @example
 * const job = buildStepJob({
 *   runId, stepKey: "total", jobName: "sum_job", attempt: 0,
 *   argv: ["bosun", "api", "execute-step"], env: [{ name: "BOSUN_EXECUTE_STEP_ARGS", value: payload }],
 *   config: resolveStepK8sConfig({ launcher, containerContext, executor, opTags, opName: "total" }),
 *   bosunVersion: "0.1.0", owner: { name: runJob.metadata.name, uid, namespace },
 * });
 */
export function buildStepJob(input: StepJobInput): V1Job {
  const image = input.config.image;
  if (image === undefined) throw new K8sImageMissingError("step", input.runId, input.stepKey);
  const owner = input.owner;
  if (owner !== undefined && owner.namespace !== input.config.namespace) {
    throw new K8sOwnerReferenceError(owner.name, owner.namespace, input.config.namespace);
  }
  const label = {
    component: "step-worker" as const,
    jobName: input.jobName,
    runId: input.runId,
    stepKey: input.stepKey,
    bosunVersion: input.bosunVersion,
    ...(input.codeLocation === undefined ? {} : { codeLocation: input.codeLocation }),
    ...(input.instanceName === undefined ? {} : { instanceName: input.instanceName }),
  };
  return buildJobManifest({
    name: stepJobName(input.runId, input.stepKey, input.attempt ?? 0),
    config: input.config,
    image,
    argv: input.argv,
    identityEnv: [
      { name: "BOSUN_RUN_ID", value: input.runId },
      { name: "BOSUN_JOB_NAME", value: input.jobName },
      { name: "BOSUN_STEP_KEY", value: input.stepKey },
    ],
    extraEnv: input.env ?? [],
    commonLabels: commonLabels(label),
    identityLabels: identityLabels(label),
    ...(owner === undefined
      ? {}
      : { ownerReferences: [{ apiVersion: "batch/v1", kind: "Job", name: owner.name, uid: owner.uid }] }),
  });
}
