import { describe, expect, it } from "vitest";
import { K8sRequestsExceedLimitsError, K8sResourceQuantityError } from "../errors.ts";
import { K8sContainerContextSchema } from "./container-context.ts";
import { K8sJobExecutorConfigSchema } from "./executor-config.ts";
import { K8sRunLauncherConfigSchema } from "./launcher-config.ts";
import { parseK8sConfig } from "./parse.ts";
import { LAYER, resolveRunK8sConfig, resolveServerK8sConfig, resolveStepK8sConfig } from "./resolve.ts";

const launcher = (input: unknown) => parseK8sConfig(K8sRunLauncherConfigSchema, input);
const location = (input: unknown) => parseK8sConfig(K8sContainerContextSchema, input);
const executor = (input: unknown) => parseK8sConfig(K8sJobExecutorConfigSchema, input);
const resources = (value: unknown) => ({ container_config: { resources: value } });

/** The chart's `runK8sConfig` limits. */
const chartLimits = launcher({ run_k8s_config: resources({ limits: { cpu: "1", memory: "1Gi" } }) });

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

/** The error of a run whose code location requests `memory` under the chart's limits. */
function locationRequestingMemory(memory: string): unknown {
  return thrown(() =>
    resolveRunK8sConfig({
      launcher: chartLimits,
      containerContext: location({ resources: { requests: { memory } } }),
    }),
  );
}

describe("merged container resources", () => {
  it("pass when every request is at most its limit, whatever the units", () => {
    const resolved = resolveRunK8sConfig({
      launcher: chartLimits,
      containerContext: location({ resources: { requests: { cpu: "1000m", memory: "512Mi" } } }),
      jobTags: { "bosun-k8s/config": resources({ requests: { "ephemeral-storage": "1e9" } }) },
    });
    expect(resolved.sections.container_config?.resources).toEqual({
      limits: { cpu: "1", memory: "1Gi" },
      requests: { cpu: "1000m", memory: "512Mi", "ephemeral-storage": "1e9" },
    });
  });

  it("pass with only limits set (Kubernetes sets the requests to the limits)", () => {
    expect(() => resolveRunK8sConfig({ launcher: chartLimits })).not.toThrow();
  });

  it("fail when a code location requests more than the chart's limit, naming both layers and values", () => {
    const error = locationRequestingMemory("2Gi");
    expect(error).toBeInstanceOf(K8sRequestsExceedLimitsError);
    expect(error).toMatchObject({
      code: "BOSUN_K8S_REQUESTS_EXCEED_LIMITS",
      container: "container_config",
      resource: "memory",
      request: "2Gi",
      requestLayer: LAYER.location,
      limit: "1Gi",
      limitLayer: LAYER.launcherRun,
    });
    expect((error as Error).message).toBe(
      "`container_config.resources.requests.memory` = 2Gi (container_context) exceeds `limits.memory` = 1Gi (launcher.run_k8s_config): expected a request no larger than the limit (Kubernetes rejects the pod otherwise); lower the request or raise the limit",
    );
  });

  it("fail for step pods and code servers too", () => {
    const stepError = thrown(() =>
      resolveStepK8sConfig({
        launcher: chartLimits,
        executor: executor({ step_k8s_config: resources({ requests: { cpu: "1001m" } }) }),
        opName: "square",
      }),
    );
    expect(stepError).toMatchObject({ resource: "cpu", requestLayer: LAYER.executorStep });
    const serverError = thrown(() =>
      resolveServerK8sConfig({
        launcher: launcher({ server_k8s_config: resources({ limits: { cpu: "500m" } }) }),
        containerContext: location({ resources: { requests: { cpu: "1" } } }),
      }),
    );
    expect(serverError).toMatchObject({ requestLayer: LAYER.location, limitLayer: LAYER.launcherServer });
  });

  it("check the pod spec's own containers, each item from one layer", () => {
    const error = thrown(() =>
      resolveRunK8sConfig({
        jobTags: {
          "bosun-k8s/config": {
            pod_spec_config: {
              containers: [{ name: "sidecar", resources: { requests: { cpu: "2" }, limits: { cpu: "1" } } }],
            },
          },
        },
      }),
    );
    expect((error as Error).message).toMatch(
      /^`pod_spec_config\.containers\[0\]\.resources\.requests\.cpu` = 2 \(job tag bosun-k8s\/config\) exceeds `limits\.cpu` = 1 \(job tag bosun-k8s\/config\)/,
    );
  });

  it("fail on a value that is not a Kubernetes quantity, naming the field, the layer and the expected shape", () => {
    const error = locationRequestingMemory("1GB");
    expect(error).toBeInstanceOf(K8sResourceQuantityError);
    expect((error as Error).message).toBe(
      '`container_config.resources.requests.memory` = "1GB" (container_context): expected a non-negative Kubernetes quantity such as 500m, 2, 1.5Gi or 1e3',
    );
    expect(error).toMatchObject({
      code: "BOSUN_K8S_RESOURCE_QUANTITY",
      path: "container_config.resources.requests.memory",
    });
  });
});
