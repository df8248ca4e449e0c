/**
 * Renders the charts with the real `helm` binary and parses what it prints. Always renders the
 * whole chart (never `--show-only`, which would hide `fail` messages from other templates).
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ensureK8sTools } from "@bosun/kube-sim";
import YAML from "yaml";

const exec = promisify(execFile);

export const CHARTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const BOSUN_CHART = path.join(CHARTS_DIR, "bosun");
export const USER_DEPLOYMENTS_CHART = path.join(BOSUN_CHART, "charts", "bosun-user-deployments");

/** A rendered Kubernetes object, loosely typed: tests read what they assert on. */
// biome-ignore lint/suspicious/noExplicitAny: rendered manifests are arbitrary YAML
export type KubeObject = Record<string, any>;

export interface RenderOptions {
  readonly chart?: string;
  readonly release?: string;
  readonly namespace?: string;
  /** Extra helm arguments, e.g. ["--set", "a=b"]. */
  readonly args?: readonly string[];
}

/** A helm command that exited non-zero; `stderr` holds helm's message. */
export class HelmError extends Error {
  constructor(
    readonly stderr: string,
    readonly args: readonly string[],
  ) {
    super(`helm ${args.join(" ")} failed:\n${stderr}`);
    this.name = "HelmError";
  }
}

export async function helm(args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  const { helm: binary } = await ensureK8sTools();
  try {
    return await exec(binary, [...args], {
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, HELM_CACHE_HOME: os.tmpdir() },
    });
  } catch (error) {
    const failed = error as { stderr?: string; stdout?: string };
    throw new HelmError(`${failed.stderr ?? ""}${failed.stdout ?? ""}`, args);
  }
}

/** `helm template` of the chart with `values` (a values file written to a temp dir). */
export async function renderText(values: unknown = {}, options: RenderOptions = {}): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "bosun-chart-"));
  try {
    const file = path.join(dir, "values.yaml");
    await writeFile(file, YAML.stringify(values));
    const args = [
      "template",
      options.release ?? "demo",
      options.chart ?? BOSUN_CHART,
      "--namespace",
      options.namespace ?? "data",
      "--values",
      file,
      ...(options.args ?? []),
    ];
    return (await helm(args)).stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Renders and parses every object (hooks included). */
export async function render(values: unknown = {}, options: RenderOptions = {}): Promise<Rendered> {
  const text = await renderText(values, options);
  const objects = YAML.parseAllDocuments(text)
    .map((document) => document.toJS() as KubeObject | null)
    .filter((object): object is KubeObject => object !== null);
  return new Rendered(objects);
}

/** The objects of one render, with finders that fail loudly when an object is missing. */
export class Rendered {
  constructor(readonly objects: readonly KubeObject[]) {}

  ofKind(kind: string): KubeObject[] {
    return this.objects.filter((object) => object.kind === kind);
  }

  names(kind: string): string[] {
    return this.ofKind(kind).map((object) => object.metadata.name as string);
  }

  maybe(kind: string, name: string): KubeObject | undefined {
    return this.objects.find((object) => object.kind === kind && object.metadata?.name === name);
  }

  get(kind: string, name: string): KubeObject {
    const found = this.maybe(kind, name);
    if (!found)
      throw new Error(`no ${kind} ${name}; rendered ${kind}s: ${this.names(kind).join(", ") || "none"}`);
    return found;
  }

  /** The instance config (bosun.yaml) from the instance ConfigMap, parsed. */
  instanceConfig(name = "demo-bosun-instance"): Record<string, unknown> {
    return YAML.parse(this.get("ConfigMap", name).data["bosun.yaml"]) as Record<string, unknown>;
  }

  /** The first container of a Deployment, StatefulSet or Job. */
  container(kind: string, name: string): KubeObject {
    return this.get(kind, name).spec.template.spec.containers[0];
  }
}
