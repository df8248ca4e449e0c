/**
 * `bosun k8s merge <file>...`: previews how raw config documents merge, lowest precedence first,
 * with exactly the rules the launcher and executor use.
 */

import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { explainK8sLayers, type FieldOrigin, type K8sConfigLayer } from "../config/merge.ts";
import { parseK8sConfig } from "../config/parse.ts";
import { ALL_SECTIONS, AnyRawK8sConfigSchema, type K8sSections, sectionsOf } from "../config/raw-config.ts";
import { K8sConfigFileError } from "../errors.ts";
import { SECTION_MODELS, snakeCaseKubeObject } from "../kube-model/snake-case-kube-object.ts";

/** One raw config document and the name it is reported under (a file name, `file#2` for a second YAML document). */
export interface NamedConfigDocument {
  readonly name: string;
  readonly value: unknown;
}

/** The merged config of `bosun k8s merge`, and which document set each field. */
export interface MergedConfigPreview {
  /** The merged config: snake_case section names, canonical Kubernetes fields, empty sections left out. */
  readonly config: K8sSections;
  /** Which document set each field. */
  readonly origins: readonly FieldOrigin[];
}

/**
 * Validates and merges documents, lowest precedence first. Throws `K8sConfigError` naming the
 * document and the field path.
 */
export function mergeConfigDocuments(documents: readonly NamedConfigDocument[]): MergedConfigPreview {
  const layers: K8sConfigLayer[] = documents.map((document) => {
    const parsed = parseK8sConfig(AnyRawK8sConfigSchema, document.value, document.name);
    return { name: document.name, sections: sectionsOf(parsed), mergeBehavior: parsed.merge_behavior };
  });
  const { sections, origins } = explainK8sLayers(layers);
  const config: K8sSections = {};
  for (const section of ALL_SECTIONS) {
    const value = sections[section];
    if (value !== undefined && Object.keys(value).length > 0) config[section] = value;
  }
  return { config, origins };
}

/** Reads YAML or JSON files; a file with several YAML documents gives one layer per document. */
export function readConfigDocuments(paths: readonly string[]): NamedConfigDocument[] {
  const documents: NamedConfigDocument[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new K8sConfigFileError(
        path,
        code === "ENOENT" ? "no such file" : `cannot read: ${(error as Error).message}`,
      );
    }
    const parsed = parseAllDocuments(text);
    const all = Array.isArray(parsed) ? parsed : [parsed];
    all.forEach((document, index) => {
      const error = document.errors[0];
      if (error !== undefined) {
        throw new K8sConfigFileError(path, `not valid YAML or JSON: ${error.message.split("\n")[0]}`);
      }
      documents.push({ name: all.length > 1 ? `${path}#${index + 1}` : path, value: document.toJS() ?? {} });
    });
  }
  return documents;
}

/** Options of `mergeConfigFiles`. */
export interface MergeConfigFilesOptions {
  /** After the merged JSON, list every field with the file that set it. */
  readonly explain?: boolean;
}

/**
 * The output of `bosun k8s merge [--explain] <file>...`: the merged config as JSON (snake_case
 * section and field names, map keys as written, empty sections left out), followed with `explain` by one line per field naming the
 * file that set it. Throws `K8sConfigFileError` (unreadable or unparsable file) or `K8sConfigError`
 * (invalid content, naming the file and the field path).
 *
 * @example
 * mergeConfigFiles(["helm-run-config.yaml", "job-tag.yaml"])
 * // '{\n  "pod_spec_config": {\n    "nodeSelector": { ... } ...'
 */
export function mergeConfigFiles(paths: readonly string[], options: MergeConfigFilesOptions = {}): string {
  const preview = mergeConfigDocuments(readConfigDocuments(paths));
  const merged = `${JSON.stringify(snakeCaseSections(preview.config), null, 2)}\n`;
  return options.explain ? `${merged}\n${formatOrigins(preview.origins)}` : merged;
}

/** `path = value  ← layer`, aligned. */
export function formatOrigins(origins: readonly FieldOrigin[]): string {
  const lefts = origins.map((origin) => `${origin.path} = ${JSON.stringify(origin.value)}`);
  const width = Math.min(80, Math.max(0, ...lefts.map((left) => left.length)));
  return origins.map((origin, index) => `${lefts[index]!.padEnd(width)}  ← ${origin.layer}\n`).join("");
}

/** `bosun k8s merge` prints snake_case field names (map keys such as labels stay as written). */
function snakeCaseSections(config: K8sSections): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([section, value]) => [
      section,
      snakeCaseKubeObject(
        SECTION_MODELS[section as keyof typeof SECTION_MODELS],
        value as Record<string, unknown>,
      ),
    ]),
  );
}
