/**
 * `bosun k8s preview -f <defs> -j <job> [--op <op>] [--instance bosun.yaml] [--container-context <yaml>]`:
 * the exact Job manifests a launch would create, built by the same functions the launcher and executor
 * use, with a placeholder run id. Nothing is sent to a cluster.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { type RunRecord, stringifyTags } from "@bosun/core";
import { loadDefinitions, prepareRun } from "@bosun/engine";
import type { V1Job } from "@kubernetes/client-node";
import type { Definitions } from "bosun";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import type { K8sContainerContext } from "../config/container-context.ts";
import { K8sJobExecutorConfigSchema } from "../config/executor-config.ts";
import { K8sRunLauncherConfigSchema } from "../config/launcher-config.ts";
import { parseK8sConfig } from "../config/parse.ts";
import { K8sConfigFileError } from "../errors.ts";
import { stepJobManifest } from "../executor/step-job-manifest.ts";
import { runJobManifest } from "./run-job-manifest.ts";
import { k8sContainerContextOf } from "./worker-env.ts";

/** The run id shown in previews. */
export const PREVIEW_RUN_ID = "00000000-0000-4000-8000-000000000000";

/**
 * What `previewJobManifests` previews: a job of a code location file, with the instance's and the location's
 * config.
 */
export interface PreviewJobManifestsOptions {
  /** The code location file. */
  readonly file: string;
  readonly job: string;
  /** Only the step Jobs of this op (or step key). */
  readonly op?: string;
  /** bosun.yaml whose `run_launcher.k8s` section is the launcher config. */
  readonly instanceFile?: string;
  /** YAML or JSON: `{ k8s: {...} }` or the `k8s` part alone. */
  readonly containerContextFile?: string;
  readonly codeLocation?: string;
  /** Already loaded definitions of `file` (tests). */
  readonly definitions?: Definitions;
  readonly processEnv?: Readonly<Record<string, string | undefined>>;
}

function readYamlFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new K8sConfigFileError(
      file,
      code === "ENOENT" ? "no such file" : `cannot read: ${(error as Error).message}`,
    );
  }
  try {
    return parseYaml(text) ?? {};
  } catch (error) {
    throw new K8sConfigFileError(file, `not valid YAML or JSON: ${(error as Error).message.split("\n")[0]}`);
  }
}

function launcherSection(instanceFile: string | undefined): unknown {
  if (instanceFile === undefined) return {};
  const raw = readYamlFile(instanceFile) as Record<string, unknown>;
  const runLauncher = (raw?.run_launcher ?? {}) as Record<string, unknown>;
  return runLauncher.k8s ?? {};
}

function containerContextFrom(file: string | undefined): K8sContainerContext | undefined {
  if (file === undefined) return undefined;
  const raw = readYamlFile(file);
  const wrapped = raw !== null && typeof raw === "object" && "k8s" in raw ? raw : { k8s: raw };
  return k8sContainerContextOf(wrapped, file);
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
  const definitions = options.definitions ?? (await loadDefinitions({ file }));
  const prepared = prepareRun(definitions, { jobName: options.job });
  const launcher = parseK8sConfig(
    K8sRunLauncherConfigSchema,
    launcherSection(options.instanceFile),
    options.instanceFile ? `${options.instanceFile}: run_launcher.k8s` : "run_launcher.k8s",
  );
  const containerContext = containerContextFrom(options.containerContextFile);
  const run: Pick<RunRecord, "runId" | "jobName" | "tags" | "codeLocation"> = {
    runId: PREVIEW_RUN_ID,
    jobName: prepared.job.name,
    tags: stringifyTags(prepared.job.tags),
    codeLocation: options.codeLocation ?? null,
  };
  const env = options.processEnv ? { processEnv: options.processEnv } : {};
  const runJob = runJobManifest({
    run,
    origin: { file },
    launcher,
    ...(containerContext ? { containerContext } : {}),
    ...env,
  });
  const documents: { comment: string; job: V1Job }[] = [];
  if (options.op === undefined) documents.push({ comment: `run Job of ${prepared.job.name}`, job: runJob });

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
      documents.push({
        comment: `step Job of ${step.key} (first attempt; retries add -<n> to the name)`,
        job: stepJobManifest({
          run,
          step,
          retryNumber: 0,
          origin: { file },
          executor: executorConfig,
          launcher,
          ...(containerContext ? { containerContext } : {}),
          ...(runJob.spec?.template.spec?.containers[0]?.image
            ? { fallbackImage: runJob.spec.template.spec.containers[0].image }
            : {}),
          owner,
          ...env,
        }),
      });
    }
  } else if (options.op !== undefined) {
    throw new Error(
      `job "${prepared.job.name}" does not use the k8sJobExecutor (its steps run inside the run's pod): --op applies to step Jobs only`,
    );
  }
  return documents.map((document) => `# ${document.comment}\n${stringifyYaml(document.job)}`).join("---\n");
}
