/** The Kubernetes Job of one step (`bosun api execute-step`), launched by the k8sJobExecutor. */
import type { V1Job } from "@kubernetes/client-node";
import { K8sImageMissingError, K8sOwnerReferenceError } from "../errors.ts";
import { buildJobManifest, type WorkerJobInput } from "./job-manifest.ts";
import { stepJobName } from "./names.ts";

/** The run worker's Job, which owns step Jobs so that deleting it deletes them. */
export interface StepJobOwner {
  readonly name: string;
  readonly uid: string;
  readonly namespace: string;
}

/** What `buildStepJob` needs beyond any worker Job's input: the step, the attempt and the owning run Job. */
export interface StepJobInput extends WorkerJobInput {
  readonly stepKey: string;
  /** 0 for the first attempt; a retry n ≥ 1 names the Job `bosun-step-<hash>-<n>`. */
  readonly attempt?: number;
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
  return buildJobManifest(input, {
    name: stepJobName(input.runId, input.stepKey, input.attempt ?? 0),
    image,
    component: "step-worker",
    stepKey: input.stepKey,
    ...(owner === undefined
      ? {}
      : { ownerReferences: [{ apiVersion: "batch/v1", kind: "Job", name: owner.name, uid: owner.uid }] }),
  });
}
