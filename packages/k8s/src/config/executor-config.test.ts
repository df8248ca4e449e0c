import { describe, expect, it } from "vitest";
import { firstIssue } from "../../test/config-errors.ts";
import { K8sJobExecutorConfigSchema } from "./executor-config.ts";
import { parseK8sConfig } from "./parse.ts";

describe("K8sJobExecutorConfigSchema", () => {
  it("parses step_k8s_config and per_step_k8s_config keyed by op name, keeping op names as written", () => {
    const parsed = parseK8sConfig(K8sJobExecutorConfigSchema, {
      max_concurrent: 4,
      step_k8s_config: { container_config: { resources: { requests: { cpu: "200m", memory: "32Mi" } } } },
      per_step_k8s_config: { fetch_numbers: { container_config: { resources: { limits: { cpu: "1" } } } } },
    });
    expect(parsed.per_step_k8s_config).toEqual({
      fetch_numbers: { container_config: { resources: { limits: { cpu: "1" } } }, merge_behavior: "DEEP" },
    });
    expect(parsed.max_concurrent).toBe(4);
  });

  it("rejects max_concurrent below 1 and a bad per-step config with the op name in the path", () => {
    expect(firstIssue(() => parseK8sConfig(K8sJobExecutorConfigSchema, { max_concurrent: 0 })).path).toBe(
      "max_concurrent",
    );
    expect(
      firstIssue(() =>
        parseK8sConfig(K8sJobExecutorConfigSchema, {
          per_step_k8s_config: { my_op: { pod_spec_config: { tolerations: {} } } },
        }),
      ),
    ).toMatchObject({ path: "per_step_k8s_config.my_op.pod_spec_config.tolerations" });
  });
});
