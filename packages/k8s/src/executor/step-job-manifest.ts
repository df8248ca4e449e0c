/**
 * A step's Job, from every layer that reaches step pods: launcher → code location → executor
 * (`step_k8s_config`) → the op's `bosun-k8s/config` tag → `per_step_k8s_config[op]`. The job-level
 * tag does not reach step pods. Used by the executor and by `previewJobManifests`.
 */

import type { RunRecord } from "@bosun/core";
import type { CodeOrigin, PlanStep } from "@bosun/engine";
import type { V1Job } from "@kubernetes/client-node";
import type { K8sContainerContext } from "../config/container-context.ts";
import type { K8sJobExecutorConfig } from "../config/executor-config.ts";
import type { K8sRunLauncherConfig } from "../config/launcher-config.ts";
import { type ResolveStepInput, resolveStepK8sConfig } from "../config/resolve.ts";
import { BOSUN_VERSION } from "../launcher/bosun-version.ts";
import { buildStepJob, type StepJobOwner } from "../manifests/step-job.ts";

/** What `stepJobManifest` builds a step Job from: the run, the step, the attempt and every config layer. */
export interface StepJobManifestInput {
  readonly run: Pick<RunRecord, "runId" | "jobName" | "codeLocation">;
  readonly step: Pick<PlanStep, "key"> & {
    readonly computation: Pick<PlanStep["computation"], "opName" | "tags">;
  };
  readonly retryNumber: number;
  readonly origin: CodeOrigin;
  readonly executor: K8sJobExecutorConfig;
  readonly launcher?: K8sRunLauncherConfig;
  readonly containerContext?: K8sContainerContext;
  /** The run pod's image, used when no layer names one. */
  readonly fallbackImage?: string;
  readonly owner?: StepJobOwner;
  readonly processEnv?: Readonly<Record<string, string | undefined>>;
}

/** `bosun api execute-step <runId> --step <key> --retry-number <n> -f <file>` (or `-m <module>`). */
export function stepWorkerArgv(
  runId: string,
  stepKey: string,
  retryNumber: number,
  origin: CodeOrigin,
): string[] {
  return [
    "bosun",
    "api",
    "execute-step",
    runId,
    "--step",
    stepKey,
    "--retry-number",
    String(retryNumber),
    ...("file" in origin ? ["-f", origin.file] : ["-m", origin.module]),
  ];
}

/** The layers of the step pod's config, as `resolveStepK8sConfig` (and `explainStepK8sConfig`) take them. */
export function stepPodConfigInput(input: StepJobManifestInput): ResolveStepInput {
  return {
    ...(input.launcher ? { launcher: input.launcher } : {}),
    ...(input.containerContext ? { containerContext: input.containerContext } : {}),
    executor: input.executor,
    opTags: input.step.computation.tags,
    opName: input.step.computation.opName,
    ...(input.processEnv ? { processEnv: input.processEnv } : {}),
  };
}

/**
 * @example
 * const job = stepJobManifest({ run, step: plan.step("total"), retryNumber: 0, origin, executor, launcher });
 */
export function stepJobManifest(input: StepJobManifestInput): V1Job {
  const { run, step } = input;
  const resolved = resolveStepK8sConfig(stepPodConfigInput(input));
  const config =
    resolved.image === undefined && input.fallbackImage
      ? { ...resolved, image: input.fallbackImage }
      : resolved;
  const owner =
    input.owner !== undefined && input.owner.namespace === config.namespace ? input.owner : undefined;
  return buildStepJob({
    runId: run.runId,
    stepKey: step.key,
    jobName: run.jobName,
    ...(run.codeLocation ? { codeLocation: run.codeLocation } : {}),
    attempt: input.retryNumber,
    argv: stepWorkerArgv(run.runId, step.key, input.retryNumber, input.origin),
    config,
    bosunVersion: BOSUN_VERSION,
    ...(owner ? { owner } : {}),
  });
}
