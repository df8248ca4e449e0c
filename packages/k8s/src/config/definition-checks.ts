/**
 * The Kubernetes checks a code location's definitions must pass when it loads (see `k8sPlugin`): the
 * `bosun-k8s/config` tag on jobs, ops and assets and the location's `container_context.k8s`, with the
 * same schemas the launcher and executor use, so what loads cleanly also launches.
 */
import type { CheckIssue, ValueCheck } from "@bosun/engine";
import { K8sConfigError } from "../errors.ts";
import { K8sContainerContextSchema } from "./container-context.ts";
import { parseK8sConfig } from "./parse.ts";
import { K8S_CONFIG_TAG, k8sConfigFromTags } from "./tag.ts";

/**
 * Checks a `bosun-k8s/config` tag value (an object, or its JSON or YAML text).
 *
 * @example
 * checkK8sConfigTag({ container_config: { resourcs: {} } })
 * // → [{ path: "container_config.resourcs", detail: "unknown field; did you mean `resources`?", ... }]
 */
export const checkK8sConfigTag: ValueCheck = (value) =>
  issuesOf(() => k8sConfigFromTags({ [K8S_CONFIG_TAG]: value }, `tag ${K8S_CONFIG_TAG}`));

/** Checks a code location's `container_context.k8s`. */
export const checkK8sContainerContext: ValueCheck = (value) =>
  issuesOf(() => parseK8sConfig(K8sContainerContextSchema, value, "container_context.k8s"));

function issuesOf(parse: () => unknown): readonly CheckIssue[] {
  try {
    parse();
    return [];
  } catch (error) {
    if (error instanceof K8sConfigError) return error.issues;
    throw error;
  }
}
