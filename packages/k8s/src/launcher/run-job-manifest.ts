/**
 * The run worker Job for a run, from the launcher config, the code location's container context and
 * the run's tags: what `K8sRunLauncher.launch` creates and `previewJobManifests` prints.
 */

import type { RunRecord } from "@bosun/core";
import type { CodeOrigin } from "@bosun/engine";
import type { V1EnvVar, V1Job } from "@kubernetes/client-node";
import type { K8sContainerContext } from "../config/container-context.ts";
import type { K8sRunLauncherConfig } from "../config/launcher-config.ts";
import type { ResolvedK8sConfig, ResolveRunInput } from "../config/resolve.ts";
import { resolveRunK8sConfig } from "../config/resolve.ts";
import { runJobName } from "../manifests/names.ts";
import { buildRunJob } from "../manifests/run-job.ts";
import { BOSUN_VERSION } from "./bosun-version.ts";
import {
  CONTAINER_CONTEXT_ENV,
  LAUNCHER_CONFIG_ENV,
  RUN_IMAGE_ENV,
  RUN_JOB_NAME_ENV,
  RUN_NAMESPACE_ENV,
} from "./worker-env.ts";

/**
 * What `runJobManifest` builds a run Job from: the run, its code, the launcher's and the location's config.
 */
export interface RunJobManifestInput {
  readonly run: Pick<RunRecord, "runId" | "jobName" | "tags" | "codeLocation">;
  readonly origin: CodeOrigin;
  /** The launch attempt the pod's worker claims before running anything (absent: it claims nothing). */
  readonly launchAttempt?: number;
  readonly launcher: K8sRunLauncherConfig;
  readonly containerContext?: K8sContainerContext;
  /** For bare `KEY` entries of `env_vars`; default `process.env`. */
  readonly processEnv?: Readonly<Record<string, string | undefined>>;
}

/**
 * The command line of a run worker: `bosun api execute-run <runId> [--launch-attempt N] -f <file>` (or
 * `-m <module>`). With a launch attempt, the worker claims it before running anything, as a local one does.
 */
export function runWorkerArgv(
  runId: string,
  origin: CodeOrigin,
  exitCodeOnFailure: boolean,
  launchAttempt?: number,
): string[] {
  return [
    "bosun",
    "api",
    "execute-run",
    runId,
    ...(launchAttempt !== undefined ? [LAUNCH_ATTEMPT_FLAG, String(launchAttempt)] : []),
    ...("file" in origin ? ["-f", origin.file] : ["-m", origin.module]),
    ...(exitCodeOnFailure ? ["--exit-code-on-failure"] : []),
  ];
}

const LAUNCH_ATTEMPT_FLAG = "--launch-attempt";

/**
 * The launch attempt a run Job's worker claims, read back from its command line (`runWorkerArgv`); null
 * when the Job carries none (made by a Bosun from before launch attempts, or not by Bosun).
 */
export function launchAttemptOfRunJob(job: V1Job): number | null {
  const args = (job.spec?.template.spec?.containers ?? []).flatMap((container) => container.args ?? []);
  const index = args.indexOf(LAUNCH_ATTEMPT_FLAG);
  const value = index >= 0 ? Number(args[index + 1]) : Number.NaN;
  return Number.isInteger(value) && value >= 1 ? value : null;
}

/** The launcher config as the run pod's executor should see it: without this process's credentials. */
function launcherConfigForPod(config: K8sRunLauncherConfig): Record<string, unknown> {
  const { kubeconfig_file: _file, load_incluster_config: _inCluster, ...rest } = config;
  return rest;
}

/**
 * Builds the run's Job: the merged config of the launcher, the location and the job tag, the worker's
 * command line, and the variables the k8sJobExecutor needs inside the pod.
 *
 * @example
 * const job = runJobManifest({ run, origin: { file: "/app/defs.ts" }, launcher, containerContext });
 * job.metadata.name // "bosun-run-<run id>"
 */
export function runJobManifest(input: RunJobManifestInput): V1Job {
  const { run, launcher, containerContext } = input;
  const config = resolveRunPodConfig(input);
  const env: V1EnvVar[] = [
    { name: LAUNCHER_CONFIG_ENV, value: JSON.stringify(launcherConfigForPod(launcher)) },
    ...(containerContext
      ? [{ name: CONTAINER_CONTEXT_ENV, value: JSON.stringify({ k8s: containerContext }) }]
      : []),
    { name: RUN_JOB_NAME_ENV, value: runJobName(run.runId) },
    { name: RUN_NAMESPACE_ENV, value: config.namespace },
    ...(config.image ? [{ name: RUN_IMAGE_ENV, value: config.image }] : []),
  ];
  return buildRunJob({
    runId: run.runId,
    jobName: run.jobName,
    ...(run.codeLocation ? { codeLocation: run.codeLocation } : {}),
    argv: runWorkerArgv(run.runId, input.origin, launcher.fail_pod_on_run_failure, input.launchAttempt),
    env,
    config,
    bosunVersion: BOSUN_VERSION,
  });
}

/** The run pod's config merged from the launcher, the code location and the job's `bosun-k8s/config` tag. */
export function resolveRunPodConfig(input: RunJobManifestInput): ResolvedK8sConfig {
  return resolveRunK8sConfig(runPodConfigInput(input));
}

/** The layers of the run pod's config, as `resolveRunK8sConfig` (and `explainRunK8sConfig`) take them. */
export function runPodConfigInput(input: RunJobManifestInput): ResolveRunInput {
  return {
    launcher: input.launcher,
    ...(input.containerContext ? { containerContext: input.containerContext } : {}),
    jobTags: input.run.tags,
    ...(input.processEnv ? { processEnv: input.processEnv } : {}),
  };
}
