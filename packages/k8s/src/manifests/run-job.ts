/** The Kubernetes Job of a run worker (`bosun api execute-run`). */
import type { V1Job } from "@kubernetes/client-node";
import { K8sImageMissingError } from "../errors.ts";
import { buildJobManifest, type WorkerJobInput } from "./job-manifest.ts";
import { runJobName } from "./names.ts";

/** What `buildRunJob` needs beyond any worker Job's input: the resume attempt. */
export interface RunJobInput extends WorkerJobInput {
  /** 0 for the first attempt; n ≥ 1 names the Job `bosun-run-<id>-<n>`. */
  readonly resumeAttempt?: number;
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
  return buildJobManifest(input, {
    name: runJobName(input.runId, input.resumeAttempt ?? 0),
    image,
    component: "run-worker",
  });
}
