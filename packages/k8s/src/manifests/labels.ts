/** Labels on every Job and pod Bosun creates. */
import { createHash } from "node:crypto";
import { isLabelValue } from "../kube-model/object-names.ts";

const MAX_LABEL_VALUE = 63;

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 8);
}

function trimToAlphanumeric(text: string): string {
  return text.replace(/^[^A-Za-z0-9]+/, "").replace(/[^A-Za-z0-9]+$/, "");
}

/**
 * Turns any string into a valid, non-empty label value (≤ 63 characters,
 * `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`):
 * accents are dropped (`café` → `cafe`), every run of other characters becomes `-`, the ends are
 * trimmed to a letter or digit. A value that had to be shortened keeps its first 54 characters
 * and gets `-<8 hex of a hash of the original>`, so distinct long values stay distinct; a value
 * with nothing usable left becomes `x-<hash>`. Values that are already valid are returned as they are.
 *
 * @example
 * sanitizeLabelValue("my job!")  // "my-job"
 * sanitizeLabelValue("日本語")     // "x-<8 hex>"
 */
export function sanitizeLabelValue(value: string): string {
  if (isLabelValue(value)) return value;
  const ascii = value
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/-{2,}/g, "-");
  const trimmed = trimToAlphanumeric(ascii);
  if (trimmed === "") return `x-${shortHash(value)}`;
  if (trimmed.length <= MAX_LABEL_VALUE) return trimmed;
  const head = trimToAlphanumeric(trimmed.slice(0, MAX_LABEL_VALUE - 9));
  return `${head}-${shortHash(value)}`;
}

/** Which kind of worker a Job runs (its `app.kubernetes.io/component` label). */
export type WorkerComponent = "run-worker" | "step-worker";

export interface BosunLabelInput {
  readonly component: WorkerComponent;
  /** The Bosun job's name. */
  readonly jobName: string;
  readonly runId: string;
  /** The step key, for step workers. */
  readonly stepKey?: string;
  readonly codeLocation?: string;
  readonly bosunVersion: string;
  /** `app.kubernetes.io/instance`, e.g. the Helm release; default `bosun`. */
  readonly instanceName?: string;
}

/** Labels users may override through their config (`app.kubernetes.io/name`, `instance`, `version`, `part-of`). */
export function commonLabels(
  input: Pick<BosunLabelInput, "bosunVersion" | "instanceName">,
): Record<string, string> {
  return {
    "app.kubernetes.io/name": "bosun",
    "app.kubernetes.io/instance": sanitizeLabelValue(input.instanceName ?? "bosun"),
    "app.kubernetes.io/version": sanitizeLabelValue(input.bosunVersion),
    "app.kubernetes.io/part-of": "bosun",
  };
}

/** Labels that identify the workload; Bosun relies on them, so they win over user labels. */
export function identityLabels(input: BosunLabelInput): Record<string, string> {
  return {
    "app.kubernetes.io/component": input.component,
    "bosun/job": sanitizeLabelValue(input.jobName),
    "bosun/run-id": sanitizeLabelValue(input.runId),
    ...(input.stepKey === undefined ? {} : { "bosun/op": sanitizeLabelValue(input.stepKey) }),
    ...(input.codeLocation === undefined
      ? {}
      : { "bosun/code-location": sanitizeLabelValue(input.codeLocation) }),
  };
}
