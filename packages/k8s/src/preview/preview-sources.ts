/**
 * Where `bosun k8s preview` takes the launcher config and the code location's container context from:
 * either files (`--instance bosun.yaml`, `--container-context ctx.yaml`) or a Helm release of the chart
 * (`--values values.yaml... --location name`), rendered by `helm template`. Both end as the same
 * parsed configs, checked by the same schemas the daemon and the launcher use.
 */
import { readFileSync } from "node:fs";
import type { CodeOrigin } from "@bosun/engine";
import { parseInstanceConfig } from "@bosun/instance";
import { parse as parseYaml } from "yaml";
import type { K8sContainerContext } from "../config/container-context.ts";
import { type K8sRunLauncherConfig, K8sRunLauncherConfigSchema } from "../config/launcher-config.ts";
import { parseK8sConfig } from "../config/parse.ts";
import { K8sConfigFileError } from "../errors.ts";
import { k8sContainerContextOf } from "../launcher/worker-env.ts";
import { type RenderChartOptions, renderChart } from "./helm-chart.ts";
import { renderedInstanceConfig, renderedLocation } from "./helm-release-inputs.ts";

/** The configs a preview merges, and what the run worker is told to load. */
export interface PreviewSources {
  readonly launcher: K8sRunLauncherConfig;
  readonly containerContext?: K8sContainerContext;
  /** The code as the worker inside the image loads it (Helm: the location's `codeServerArgs`). */
  readonly origin?: CodeOrigin;
  /** The code location's name (Helm: `--location`). */
  readonly codeLocation?: string;
}

function readText(file: string, flag: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new K8sConfigFileError(
      file,
      code === "ENOENT" ? `no such file (given with ${flag})` : `cannot read: ${(error as Error).message}`,
    );
  }
}

/** The run launcher of an instance: whether it launches Jobs, and its k8s config (defaults when it does not). */
interface InstanceLauncher {
  readonly launchesJobs: boolean;
  readonly config: K8sRunLauncherConfig;
}

/**
 * The launcher of a `bosun.yaml` text: the whole file is validated as the daemon validates it (an
 * unknown key names the nearest valid one), then `run_launcher.k8s` by the launcher's schema.
 */
function instanceLauncher(text: string, source: string): InstanceLauncher {
  const { runLauncher } = parseInstanceConfig(text, source).daemon;
  const launchesJobs = runLauncher.kind === "k8s";
  const raw = launchesJobs ? runLauncher.config : {};
  return {
    launchesJobs,
    config: parseK8sConfig(K8sRunLauncherConfigSchema, raw, `${source}: run_launcher.k8s`),
  };
}

/** `--instance` and `--container-context` files. */
export function previewSourcesFromFiles(files: {
  readonly instanceFile?: string;
  readonly containerContextFile?: string;
}): PreviewSources {
  const launcher = instanceLauncher(
    files.instanceFile === undefined ? "" : readText(files.instanceFile, "--instance"),
    files.instanceFile ?? "bosun.yaml",
  ).config;
  if (files.containerContextFile === undefined) return { launcher };
  const file = files.containerContextFile;
  let raw: unknown;
  try {
    raw = parseYaml(readText(file, "--container-context")) ?? {};
  } catch (error) {
    throw new K8sConfigFileError(file, `not valid YAML or JSON: ${(error as Error).message.split("\n")[0]}`);
  }
  const wrapped = raw !== null && typeof raw === "object" && "k8s" in raw ? raw : { k8s: raw };
  const containerContext = k8sContainerContextOf(wrapped, file);
  return containerContext === undefined ? { launcher } : { launcher, containerContext };
}

/** A Helm release to preview: the chart rendered with these values, and one of its code locations. */
export interface HelmPreviewOptions extends Omit<RenderChartOptions, "valuesFiles"> {
  readonly valuesFiles: readonly string[];
  /** A `deployments` entry of the user-deployments values; without it, only the instance's config applies. */
  readonly location?: string;
}

/**
 * Renders the chart and reads the instance config and the location's container context out of it.
 * The rendered `bosun.yaml` goes through the same validation as a file given with `--instance`.
 */
export async function previewSourcesFromHelm(options: HelmPreviewOptions): Promise<PreviewSources> {
  const objects = await renderChart(options);
  const source = `helm template (${options.valuesFiles.join(", ") || "chart defaults"})`;
  const instance = renderedInstanceConfig(objects, source);
  const { launchesJobs, config: launcher } = instanceLauncher(
    instance.text,
    `${source}: ConfigMap ${instance.configMap}`,
  );
  // With DefaultRunLauncher the release runs each run as a process in the daemon's pod: there is no Job to show.
  if (!launchesJobs) {
    throw new K8sConfigFileError(
      source,
      "runLauncher.type is DefaultRunLauncher, so runs are processes in the daemon's pod, not Jobs; set runLauncher.type: K8sRunLauncher to preview run Jobs",
    );
  }
  if (options.location === undefined) return { launcher };
  const location = renderedLocation(objects, options.location);
  const containerContext = k8sContainerContextOf(
    location.containerContext,
    `${source}: deployment ${location.name} container_context`,
  );
  return {
    launcher,
    ...(containerContext === undefined ? {} : { containerContext }),
    ...(location.origin === undefined ? {} : { origin: location.origin }),
    codeLocation: location.name,
  };
}
