import { describe, expect, it } from "vitest";
import { configError } from "../../test/config-errors.ts";
import { K8sConfigError } from "../errors.ts";
import { parseK8sConfig } from "./parse.ts";
import { AnyRawK8sConfigSchema, RunK8sConfigSchema, ServerK8sConfigSchema } from "./raw-config.ts";

describe("RunK8sConfigSchema", () => {
  it("normalises mixed spellings to snake_case sections with camelCase Kubernetes fields", () => {
    expect(
      parseK8sConfig(RunK8sConfigSchema, {
        containerConfig: {
          resources: { limits: { cpu: "500m" } },
          volume_mounts: [{ name: "v", mount_path: "/v", sub_path: "f" }],
        },
        pod_template_spec_metadata: {
          annotations: { "cluster-autoscaler.kubernetes.io/safe-to-evict": "true" },
        },
        podSpecConfig: { volumes: [{ name: "v", secret: { secret_name: "s" } }] },
        jobMetadata: { labels: { team: "data" } },
        job_spec_config: { ttl_seconds_after_finished: 7200 },
      }),
    ).toEqual({
      container_config: {
        resources: { limits: { cpu: "500m" } },
        volumeMounts: [{ name: "v", mountPath: "/v", subPath: "f" }],
      },
      pod_template_spec_metadata: {
        annotations: { "cluster-autoscaler.kubernetes.io/safe-to-evict": "true" },
      },
      pod_spec_config: { volumes: [{ name: "v", secret: { secretName: "s" } }] },
      job_metadata: { labels: { team: "data" } },
      job_spec_config: { ttlSecondsAfterFinished: 7200 },
      merge_behavior: "DEEP",
    });
  });

  it("defaults merge_behavior to DEEP and accepts SHALLOW", () => {
    expect(parseK8sConfig(RunK8sConfigSchema, {}).merge_behavior).toBe("DEEP");
    expect(parseK8sConfig(RunK8sConfigSchema, { mergeBehavior: "SHALLOW" }).merge_behavior).toBe("SHALLOW");
  });

  it("rejects an unknown merge_behavior naming the allowed values", () => {
    const error = configError(() => parseK8sConfig(RunK8sConfigSchema, { merge_behavior: "deep" }));
    expect(error.message).toBe('`merge_behavior`: expected one of DEEP, SHALLOW, got string "deep"');
    expect(error.expected).toBe("one of DEEP, SHALLOW");
  });

  it("names the full path and nearest field of a misspelt Kubernetes field, in the user's spelling", () => {
    const error = configError(() =>
      parseK8sConfig(RunK8sConfigSchema, { pod_spec_config: { node_selectr: { a: "b" } } }),
    );
    expect(error.message).toBe(
      "`pod_spec_config.node_selectr`: unknown field; did you mean `node_selector`?",
    );
    expect(error).toMatchObject({
      path: "pod_spec_config.node_selectr",
      suggestion: "node_selector",
      expected: "a field of Kubernetes PodSpec",
    });
  });

  it("keeps the user's spelling of every parent key in the path", () => {
    const error = configError(() =>
      parseK8sConfig(RunK8sConfigSchema, {
        podSpecConfig: { init_containers: [{ name: "x", imagePullPolcy: "Always" }] },
      }),
    );
    expect(error.path).toBe("podSpecConfig.init_containers[0].imagePullPolcy");
    expect(error.suggestion).toBe("imagePullPolicy");
  });

  it("suggests the nearest section name for a misspelt section", () => {
    const error = configError(() => parseK8sConfig(RunK8sConfigSchema, { containr_config: {} }));
    expect(error.message).toBe("`containr_config`: unknown field; did you mean `container_config`?");
    const camel = configError(() => parseK8sConfig(RunK8sConfigSchema, { podSpecConfg: {} }));
    expect(camel.suggestion).toBe("podSpecConfig");
  });

  it("rejects both spellings of one section", () => {
    const error = configError(() =>
      parseK8sConfig(RunK8sConfigSchema, { container_config: {}, containerConfig: {} }),
    );
    expect(error.message).toBe(
      "`containerConfig`: `container_config` and `containerConfig` are the same field; give it once",
    );
  });

  it("rejects both spellings of one Kubernetes field", () => {
    const error = configError(() =>
      parseK8sConfig(RunK8sConfigSchema, { pod_spec_config: { nodeSelector: {}, node_selector: {} } }),
    );
    expect(error.path).toBe("pod_spec_config.node_selector");
  });

  it("rejects wrong types with the path and the expected type", () => {
    const error = configError(() =>
      parseK8sConfig(RunK8sConfigSchema, { job_spec_config: { backoff_limit: "3" } }),
    );
    expect(error.message).toBe('`job_spec_config.backoff_limit`: expected an integer, got string "3"');
    const notAMap = configError(() => parseK8sConfig(RunK8sConfigSchema, { container_config: ["x"] }));
    expect(notAMap.message).toBe("`container_config`: expected a map, got a list");
  });

  it("rejects fields Bosun sets itself, saying what to use instead", () => {
    const error = configError(() =>
      parseK8sConfig(RunK8sConfigSchema, {
        container_config: { args: ["x"] },
        job_metadata: { name: "mine" },
        job_spec_config: { template: {} },
      }),
    );
    expect(error.issues.map((issue) => issue.path)).toEqual([
      "container_config.args",
      "job_metadata.name",
      "job_spec_config.template",
    ]);
    expect(error.issues[2]?.detail).toBe(
      "set by Bosun; use `pod_spec_config` and `pod_template_spec_metadata`",
    );
  });

  it("lists every problem in one error", () => {
    const error = configError(() =>
      parseK8sConfig(RunK8sConfigSchema, {
        pod_spec_config: { dns_polcy: "x" },
        job_spec_config: { suspend: 1 },
      }),
    );
    expect(error.issues).toHaveLength(2);
    expect(error.message).toContain("2 problems:");
  });

  it("names the source in the message when given", () => {
    const error = configError(() =>
      parseK8sConfig(RunK8sConfigSchema, { job_config: {} }, "job tag bosun-k8s/config"),
    );
    expect(error.source).toBe("job tag bosun-k8s/config");
    expect(error.message.startsWith("job tag bosun-k8s/config: `job_config`: unknown field")).toBe(true);
  });

  it("rejects code server sections in a run config", () => {
    const error = configError(() => parseK8sConfig(RunK8sConfigSchema, { deployment_metadata: {} }));
    expect(error.path).toBe("deployment_metadata");
  });
});

describe("ServerK8sConfigSchema", () => {
  it("accepts the code server sections and rejects the Job sections", () => {
    expect(
      parseK8sConfig(ServerK8sConfigSchema, {
        deploymentMetadata: { annotations: { a: "b" } },
        service_metadata: { labels: { c: "d" } },
      }),
    ).toEqual({
      deployment_metadata: { annotations: { a: "b" } },
      service_metadata: { labels: { c: "d" } },
      merge_behavior: "DEEP",
    });
    expect(() => parseK8sConfig(ServerK8sConfigSchema, { job_spec_config: {} })).toThrow(K8sConfigError);
  });
});

describe("AnyRawK8sConfigSchema", () => {
  it("accepts all seven sections", () => {
    const parsed = parseK8sConfig(AnyRawK8sConfigSchema, {
      container_config: {},
      pod_template_spec_metadata: {},
      pod_spec_config: {},
      job_metadata: {},
      job_spec_config: {},
      deployment_metadata: {},
      service_metadata: {},
    });
    expect(Object.keys(parsed).sort()).toEqual([
      "container_config",
      "deployment_metadata",
      "job_metadata",
      "job_spec_config",
      "merge_behavior",
      "pod_spec_config",
      "pod_template_spec_metadata",
      "service_metadata",
    ]);
  });
});
