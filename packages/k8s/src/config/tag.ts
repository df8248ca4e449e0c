/** The `bosun-k8s/config` tag on jobs, ops and assets. */
import { parse as parseYaml } from "yaml";
import { K8sConfigError } from "../errors.ts";
import { parseK8sConfig } from "./parse.ts";
import { type RunK8sConfig, RunK8sConfigSchema } from "./raw-config.ts";

/** The tag (on jobs, ops and runs) holding a raw Kubernetes config. */
export const K8S_CONFIG_TAG = "bosun-k8s/config";

/**
 * Reads the `bosun-k8s/config` tag from a set of tags: undefined when absent. The value may be an
 * object or its JSON (or YAML) text, as tags stored on runs are strings.
 *
 * @example
 * k8sConfigFromTags({ "bosun-k8s/config": '{"pod_spec_config":{"node_selector":{"disktype":"ssd"}}}' }, "job tag")
 * // → { pod_spec_config: { nodeSelector: { disktype: "ssd" } }, merge_behavior: "DEEP" }
 */
export function k8sConfigFromTags(
  tags: Readonly<Record<string, unknown>> | undefined,
  source: string,
): RunK8sConfig | undefined {
  const raw = tags?.[K8S_CONFIG_TAG];
  if (raw === undefined || raw === null) return undefined;
  let value: unknown = raw;
  if (typeof raw === "string") {
    try {
      value = parseYaml(raw);
    } catch (error) {
      throw new K8sConfigError(
        [
          {
            path: K8S_CONFIG_TAG,
            expected: "a JSON object",
            detail: `not valid JSON: ${(error as Error).message}`,
          },
        ],
        source,
      );
    }
  }
  return parseK8sConfig(RunK8sConfigSchema, value, source);
}
