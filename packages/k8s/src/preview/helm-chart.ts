/**
 * Renders the Bosun Helm chart with the real `helm template` binary, for `bosun k8s preview --values`.
 * The chart's own templates build the instance config and each code location's container context, so
 * the preview sees exactly what an install would give the daemon and the code servers: nothing here
 * re-implements a template.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { K8sConfigFileError, K8sHelmNotFoundError, K8sHelmTemplateError } from "../errors.ts";

/** The chart in this repository (`charts/bosun`, with its subchart `bosun-user-deployments`). */
export const DEFAULT_CHART_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../../charts/bosun",
);

/** Environment variable naming the helm binary when `--helm` is not given. */
export const HELM_BINARY_ENV = "BOSUN_HELM";

/** A rendered Kubernetes object, read loosely: only the fields the preview needs are looked at. */
export type RenderedObject = Readonly<Record<string, unknown>>;

/** What `renderChart` renders. */
export interface RenderChartOptions {
  /** Values files, in helm's `-f` order (later files win). */
  readonly valuesFiles: readonly string[];
  /** Chart directory or reference; default `DEFAULT_CHART_DIR`. */
  readonly chart?: string;
  /** The helm binary; default `$BOSUN_HELM`, then `helm` on the PATH. */
  readonly helm?: string;
  /** Release name; default `bosun`. */
  readonly release?: string;
  /** Release namespace; default `default`. */
  readonly namespace?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The helm binary to run: the explicit one, then `$BOSUN_HELM`, then `helm` from the PATH. */
export function helmBinary(
  explicit: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  return explicit ?? (env[HELM_BINARY_ENV] || "helm");
}

/**
 * `helm template` of the chart with the values files, parsed into objects (hooks included). Throws
 * `K8sConfigFileError` for a values file that does not exist, `K8sHelmNotFoundError` when helm cannot
 * be run, and `K8sHelmTemplateError` with helm's message when rendering fails.
 *
 * @example
 * const objects = await renderChart({ valuesFiles: ["values.yaml"] });
 * objects.filter((object) => object.kind === "ConfigMap")
 */
export async function renderChart(options: RenderChartOptions): Promise<RenderedObject[]> {
  const env = options.env ?? process.env;
  for (const file of options.valuesFiles) {
    // helm's own message for a missing file is long and mentions URLs; say it plainly first.
    if (!existsSync(file)) throw new K8sConfigFileError(file, "no such file (given with --values)");
  }
  if (options.chart === undefined && !existsSync(DEFAULT_CHART_DIR)) {
    // Installed from a registry, Bosun has no copy of the chart beside it.
    throw new K8sConfigFileError(DEFAULT_CHART_DIR, "no chart here; pass --chart <dir> with the bosun chart");
  }
  const binary = helmBinary(options.helm, env);
  const args = [
    "template",
    options.release ?? "bosun",
    options.chart ?? DEFAULT_CHART_DIR,
    "--namespace",
    options.namespace ?? "default",
    ...options.valuesFiles.flatMap((file) => ["--values", file]),
  ];
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      binary,
      args,
      {
        maxBuffer: 64 * 1024 * 1024,
        // helm writes a cache; a home directory that is not writable must not fail a preview.
        env: { ...env, HELM_CACHE_HOME: env.HELM_CACHE_HOME ?? path.join(os.tmpdir(), "bosun-helm-cache") },
      },
      (error, out, err) => {
        if (error === null) return resolve(out);
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT" || code === "EACCES") return reject(new K8sHelmNotFoundError(binary));
        reject(new K8sHelmTemplateError(args, `${err}${out ? `\n${out}` : ""}`));
      },
    );
  });
  return parseAllDocuments(stdout)
    .map((document) => document.toJS() as unknown)
    .filter((value): value is RenderedObject => typeof value === "object" && value !== null);
}
