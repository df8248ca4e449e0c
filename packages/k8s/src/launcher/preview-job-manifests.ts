/**
 * `bosun k8s preview -f <defs> -j <job> [--op <op>] [--instance bosun.yaml] [--container-context <yaml>]`
 * or `... --values values.yaml [--location name]`: the exact Job manifests a launch would create,
 * built by the same functions the launcher and executor use, with a placeholder run id, each with the
 * paths inside its container and, with `explain`, the layer that set each field. Nothing is sent to a
 * cluster.
 */
import path from "node:path";
import { type RunRecord, stringifyTags } from "@bosun/core";
import { type CodeOrigin, loadDefinitions, prepareRun } from "@bosun/engine";
import type { V1Job } from "@kubernetes/client-node";
import type { Definitions } from "bosun";
import { stringify as stringifyYaml } from "yaml";
import { K8sJobExecutorConfigSchema } from "../config/executor-config.ts";
import type { K8sRunLauncherConfig } from "../config/launcher-config.ts";
import { parseK8sConfig } from "../config/parse.ts";
import { type ExplainedK8sConfig, explainRunK8sConfig, explainStepK8sConfig } from "../config/resolve.ts";
import { K8sConfigFileError, K8sHelmTemplateError } from "../errors.ts";
import { stepJobManifest, stepPodConfigInput } from "../executor/step-job-manifest.ts";
import { type ChartDefaults, chartDefaultsOf, formatPodFieldOrigins } from "../preview/explain-pod-fields.ts";
import { formatInImagePaths, inImagePaths } from "../preview/in-image-paths.ts";
import {
  type PreviewSources,
  previewSourcesFromFiles,
  previewSourcesFromHelm,
} from "../preview/preview-sources.ts";
import { runJobManifest, runPodConfigInput } from "./run-job-manifest.ts";

/** The run id shown in previews. */
export const PREVIEW_RUN_ID = "00000000-0000-4000-8000-000000000000";

/** A Helm install to preview: the chart rendered by `helm template` with these values files. */
export interface PreviewHelmRelease {
  /** Values files, in helm's `-f` order (later files win). */
  readonly valuesFiles: readonly string[];
  /** The code location (a `deployments` entry of the user-deployments values) whose container context applies. */
  readonly location?: string;
  /** Chart directory; default the repository's `charts/bosun`. */
  readonly chart?: string;
  /** The helm binary; default `$BOSUN_HELM`, then `helm` on the PATH. */
  readonly helm?: string;
  readonly release?: string;
  readonly namespace?: string;
}

/**
 * What `previewJobManifests` previews: a job of a code location file, with the instance's and the location's
 * config, from files or from a Helm release of the chart.
 */
export interface PreviewJobManifestsOptions {
  /** The code location file. */
  readonly file: string;
  readonly job: string;
  /** Only the step Jobs of this op (or step key). */
  readonly op?: string;
  /** bosun.yaml whose `run_launcher.k8s` section is the launcher config; validated as the daemon validates it. */
  readonly instanceFile?: string;
  /** YAML or JSON: `{ k8s: {...} }` or the `k8s` part alone. */
  readonly containerContextFile?: string;
  /** Take the instance config and the location's container context from a Helm release instead of files. */
  readonly helm?: PreviewHelmRelease;
  /** After each Job, which layer set each field and what it overrode. */
  readonly explain?: boolean;
  readonly codeLocation?: string;
  /** Already loaded definitions of `file` (tests). */
  readonly definitions?: Definitions;
  readonly processEnv?: Readonly<Record<string, string | undefined>>;
}

/** Thrown for options that contradict each other (`--values` with `--instance`, `--location` alone). */
export class PreviewOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PreviewOptionsError";
  }
}

async function previewSources(options: PreviewJobManifestsOptions): Promise<PreviewSources> {
  if (options.helm === undefined) {
    return previewSourcesFromFiles({
      ...(options.instanceFile ? { instanceFile: options.instanceFile } : {}),
      ...(options.containerContextFile ? { containerContextFile: options.containerContextFile } : {}),
    });
  }
  if (options.instanceFile !== undefined || options.containerContextFile !== undefined) {
    throw new PreviewOptionsError(
      "--values takes the instance config and the container context from the chart: give --values (with --location) or --instance/--container-context, not both",
    );
  }
  return previewSourcesFromHelm(options.helm);
}

/** What the chart alone gives the launcher, to tell chart defaults from the values files in `explain`. */
async function chartDefaults(options: PreviewJobManifestsOptions): Promise<ChartDefaults | undefined> {
  if (options.helm === undefined || !options.explain) return undefined;
  const { location: _location, ...chartOnly } = options.helm;
  let launcher: K8sRunLauncherConfig;
  try {
    ({ launcher } = await previewSourcesFromHelm({ ...chartOnly, valuesFiles: [] }));
  } catch (error) {
    // A chart that needs values to render has no defaults of its own to tell apart: every launcher
    // field is then credited to the instance run launcher config, which is still true.
    if (error instanceof K8sHelmTemplateError || error instanceof K8sConfigFileError) return undefined;
    throw error;
  }
  return chartDefaultsOf(
    explainRunK8sConfig({ launcher, ...(options.processEnv ? { processEnv: options.processEnv } : {}) }),
  );
}

/** One printed Job: a heading, the in-image paths, the manifest and, with explain, its field origins. */
function formatJob(
  comment: string,
  job: V1Job,
  explained: ExplainedK8sConfig | undefined,
  defaults: ChartDefaults | undefined,
): string {
  const image = job.spec?.template.spec?.containers[0]?.image;
  const paths = formatInImagePaths(inImagePaths(job), image);
  const origins = explained === undefined ? "" : formatPodFieldOrigins(explained, defaults);
  return `# ${comment}\n${paths}${stringifyYaml(job)}${origins}`;
}

/**
 * The Job manifests as YAML documents: the run's Job, then one Job per step when the job uses the
 * k8sJobExecutor (only the `op`'s with `op`).
 *
 * @example
 * process.stdout.write(await previewJobManifests({ file: "defs.ts", job: "sum_job", instanceFile: "bosun.yaml" }));
 */
export async function previewJobManifests(options: PreviewJobManifestsOptions): Promise<string> {
  const file = path.resolve(options.file);
  const sources = await previewSources(options);
  const defaults = await chartDefaults(options);
  const definitions = options.definitions ?? (await loadDefinitions({ file }));
  const prepared = prepareRun(definitions, { jobName: options.job });
  const { launcher, containerContext } = sources;
  // The worker in the image loads the code where the code server does, not where this file sits here.
  const origin: CodeOrigin = sources.origin ?? { file };
  const run: Pick<RunRecord, "runId" | "jobName" | "tags" | "codeLocation"> = {
    runId: PREVIEW_RUN_ID,
    jobName: prepared.job.name,
    tags: stringifyTags(prepared.job.tags),
    codeLocation: options.codeLocation ?? sources.codeLocation ?? null,
  };
  const env = options.processEnv ? { processEnv: options.processEnv } : {};
  const runInput = {
    run,
    origin,
    launcher,
    ...(containerContext ? { containerContext } : {}),
    ...env,
  };
  const runJob = runJobManifest(runInput);
  const documents: { comment: string; job: V1Job; explained: ExplainedK8sConfig | undefined }[] = [];
  if (options.op === undefined) {
    documents.push({
      comment: `run Job of ${prepared.job.name}`,
      job: runJob,
      explained: options.explain ? explainRunK8sConfig(runPodConfigInput(runInput)) : undefined,
    });
  }

  const executor = prepared.job.executor ?? definitions.executor;
  if (executor?.name === "k8s") {
    const executorConfig = parseK8sConfig(K8sJobExecutorConfigSchema, executor.config, "k8sJobExecutor");
    const steps = prepared.plan.steps.filter(
      (step) => options.op === undefined || step.computation.opName === options.op || step.key === options.op,
    );
    if (options.op !== undefined && steps.length === 0) {
      const names = [...new Set(prepared.plan.steps.map((step) => step.computation.opName))];
      throw new Error(`job "${prepared.job.name}" has no op "${options.op}" (ops: ${names.join(", ")})`);
    }
    const owner = {
      name: runJob.metadata!.name!,
      namespace: runJob.metadata!.namespace!,
      uid: "<uid of the run Job>",
    };
    for (const step of steps) {
      const stepInput = {
        run,
        step,
        retryNumber: 0,
        origin,
        executor: executorConfig,
        launcher,
        ...(containerContext ? { containerContext } : {}),
        ...(runJob.spec?.template.spec?.containers[0]?.image
          ? { fallbackImage: runJob.spec.template.spec.containers[0].image }
          : {}),
        owner,
        ...env,
      };
      documents.push({
        comment: `step Job of ${step.key} (first attempt; retries add -<n> to the name)`,
        job: stepJobManifest(stepInput),
        explained: options.explain ? explainStepK8sConfig(stepPodConfigInput(stepInput)) : undefined,
      });
    }
  } else if (options.op !== undefined) {
    throw new Error(
      `job "${prepared.job.name}" does not use the k8sJobExecutor (its steps run inside the run's pod): --op applies to step Jobs only`,
    );
  }
  return documents
    .map((document) => formatJob(document.comment, document.job, document.explained, defaults))
    .join("---\n");
}
