/**
 * `bosun k8s preview --explain`: for every field the merged config put into a Job, which layer set
 * it and what it replaced. The attribution comes from the merge itself (`explainRunK8sConfig`,
 * `explainStepK8sConfig`); this file only names the layers for people and spells the paths the way
 * they appear in the printed manifest.
 */

import type { FieldOrigin, FieldOverride } from "../config/merge.ts";
import { type ExplainedK8sConfig, LAYER } from "../config/resolve.ts";
import { stableStringify } from "../util/plain-object.ts";

/** Where each section of the merged config lands in a Job manifest. */
const MANIFEST_PATH_OF_SECTION: Readonly<Record<string, string>> = {
  container_config: "spec.template.spec.containers[0]",
  pod_spec_config: "spec.template.spec",
  pod_template_spec_metadata: "spec.template.metadata",
  job_spec_config: "spec",
  job_metadata: "metadata",
  namespace: "metadata.namespace",
  image: "spec.template.spec.containers[0].image",
};

/** A config path (`container_config.resources.limits.cpu`) as the manifest spells it. */
export function manifestPath(configPath: string): string {
  const match = /^([a-z_]+)(.*)$/.exec(configPath);
  const prefix = match ? MANIFEST_PATH_OF_SECTION[match[1]!] : undefined;
  if (match === null || prefix === undefined) return configPath;
  const rest = match[2]!;
  return rest === "" ? prefix : `${prefix}${rest}`;
}

/** The launcher's layers, which a Helm install fills from the chart's defaults and the values files. */
const LAUNCHER_LAYERS: ReadonlySet<string> = new Set([LAYER.launcher, LAYER.launcherRun]);

/**
 * How people call each layer: `instance run launcher config`, `location container context`, `job
 * tag`, `op tag`, `executor`; with the raw layer name after it, as errors spell it.
 */
export function layerKind(layer: string): string {
  if (LAUNCHER_LAYERS.has(layer)) return "instance run launcher config";
  if (layer === LAYER.location || layer === LAYER.locationRun) return "location container context";
  if (layer === LAYER.jobTag) return "job tag";
  if (layer === LAYER.opTag) return "op tag";
  if (layer === "default") return "Bosun default";
  return "executor";
}

/**
 * Names one layer for `--explain`. `chartDefault` says whether the value the launcher layer gave is
 * what the chart gives with no values file (a Helm preview only).
 */
export function describeLayer(layer: string, chartDefault: boolean): string {
  if (chartDefault && LAUNCHER_LAYERS.has(layer)) return `chart default (${layer})`;
  const kind = layerKind(layer);
  return layer.startsWith(kind) ? layer : `${kind} (${layer})`;
}

/** What the chart alone gives: the `path → value` of every launcher-layer field of a defaults-only preview. */
export type ChartDefaults = ReadonlyMap<string, string>;

/** The chart's own contributions, from the explained config of a preview with no values files. */
export function chartDefaultsOf(defaults: ExplainedK8sConfig): ChartDefaults {
  return new Map(
    defaults.origins
      .filter((origin) => LAUNCHER_LAYERS.has(origin.layer))
      .map((origin) => [`${origin.layer} ${origin.path}`, stableStringify(origin.value)]),
  );
}

function isChartDefault(
  origin: Pick<FieldOrigin, "path" | "value" | "layer">,
  defaults: ChartDefaults | undefined,
): boolean {
  return defaults?.get(`${origin.layer} ${origin.path}`) === stableStringify(origin.value);
}

function describeLayers(
  layers: string,
  path: string,
  value: unknown,
  defaults: ChartDefaults | undefined,
): string {
  return layers
    .split(", ")
    .map((layer) => describeLayer(layer, isChartDefault({ path, value, layer }, defaults)))
    .join(", ");
}

/**
 * The explain block printed after a Job: one line per field, `manifest path = value  ← layer`, and
 * under it what earlier layers had set there and which layer replaced it.
 *
 * @example
 * formatPodFieldOrigins(explainRunK8sConfig({ launcher, containerContext, jobTags }))
 * // '# spec.template.spec.containers[0].resources.limits.cpu = "2"  ← location container context (container_context)\n#     overrode "1" from instance run launcher config (launcher)\n...'
 */
export function formatPodFieldOrigins(explained: ExplainedK8sConfig, defaults?: ChartDefaults): string {
  const overridesByPath = new Map<string, FieldOverride[]>();
  for (const override of explained.overrides) {
    overridesByPath.set(override.path, [...(overridesByPath.get(override.path) ?? []), override]);
  }
  const lefts = explained.origins.map(
    (origin) => `${manifestPath(origin.path)} = ${JSON.stringify(origin.value)}`,
  );
  const width = Math.min(80, Math.max(0, ...lefts.map((left) => left.length)));
  const lines: string[] = [];
  const printed = new Set<string>();
  explained.origins.forEach((origin, index) => {
    lines.push(
      `# ${lefts[index]!.padEnd(width)}  ← ${describeLayer(origin.layer, isChartDefault(origin, defaults))}`,
    );
    // A list's overrides are kept on the list; print them once, under its first item.
    const listPath = origin.path.replace(/\[\d+\]$/, "");
    for (const key of new Set([origin.path, listPath])) {
      if (printed.has(key)) continue;
      printed.add(key);
      for (const override of overridesByPath.get(key) ?? []) {
        const from = describeLayers(override.layer, override.path, override.value, defaults);
        lines.push(
          `#     overrode ${JSON.stringify(override.value)} from ${from}; replaced by ${layerKind(override.by)}`,
        );
      }
    }
  });
  // Fields replaced by a SHALLOW layer that gave a map: its leaves are printed, the replaced map once here.
  for (const [path, overrides] of overridesByPath) {
    if (printed.has(path)) continue;
    for (const override of overrides) {
      const from = describeLayers(override.layer, override.path, override.value, defaults);
      lines.push(
        `# ${manifestPath(path)}: ${JSON.stringify(override.value)} from ${from} was replaced whole by ${layerKind(override.by)} (${override.by})`,
      );
    }
  }
  return `# Which layer set each field (lowest precedence first: chart default, instance run launcher config, location container context, job or op tag):\n${lines.join("\n")}\n`;
}
