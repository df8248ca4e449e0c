/** The Kubernetes Job of a run worker (`bosun api execute-run`). */
import type { V1EnvVar, V1Job } from "@kubernetes/client-node";
import type { ResolvedK8sConfig } from "../config/resolve.ts";
import { K8sImageMissingError } from "../errors.ts";
import { buildJobManifest } from "./job-manifest.ts";
import { commonLabels, identityLabels } from "./labels.ts";
import { runJobName } from "./names.ts";

export interface RunJobInput {
  readonly runId: string;
  /** The Bosun job the run executes. */
  readonly jobName: string;
  readonly codeLocation?: string;
  /** 0 for the first attempt; n ≥ 1 names the Job `bosun-run-<id>-<n>`. */
  readonly resumeAttempt?: number;
  /** The container's command line, e.g. `["bosun", "api", "execute-run", runId]`; goes into `args`. */
  readonly argv: readonly string[];
  /** More Bosun variables for the container, after BOSUN_HOME, BOSUN_RUN_ID, BOSUN_JOB_NAME and BOSUN_PG_PASSWORD. */
  readonly env?: readonly V1EnvVar[];
  /** From `resolveRunK8sConfig`. */
  readonly config: ResolvedK8sConfig;
  /** Bosun's version, for `app.kubernetes.io/version`. */
  readonly bosunVersion: string;
  /** `app.kubernetes.io/instance`; default `bosun`. */
  readonly instanceName?: string;
}

/**
 * The run worker Job. Throws `K8sImageMissingError` when no layer names an image.
 *
 * @example
 * const job = buildRunJob({
 *   runId, jobName: "sum_job", codeLocation: "examples",
 *   argv: ["bosun", "api", "execute-run", runId],
 *   config: resolveRunK8sConfig({ launcher, containerContext, jobTags }),
 *   bosunVersion: "0.1.0",
 * });
 */
export function buildRunJob(input: RunJobInput): V1Job {
  const image = input.config.image;
  if (image === undefined) throw new K8sImageMissingError("run", input.runId);
  const label = {
    component: "run-worker" as const,
    jobName: input.jobName,
    runId: input.runId,
    bosunVersion: input.bosunVersion,
    ...(input.codeLocation === undefined ? {} : { codeLocation: input.codeLocation }),
    ...(input.instanceName === undefined ? {} : { instanceName: input.instanceName }),
  };
  return buildJobManifest({
    name: runJobName(input.runId, input.resumeAttempt ?? 0),
    config: input.config,
    image,
    argv: input.argv,
    identityEnv: [
      { name: "BOSUN_RUN_ID", value: input.runId },
      { name: "BOSUN_JOB_NAME", value: input.jobName },
    ],
    extraEnv: input.env ?? [],
    commonLabels: commonLabels(label),
    identityLabels: identityLabels(label),
  });
}
