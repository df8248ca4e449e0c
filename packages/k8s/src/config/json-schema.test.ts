import { describe, expect, it } from "vitest";
import { K8sContainerContextSchema } from "./container-context.ts";
import { K8sJobExecutorConfigSchema } from "./executor-config.ts";
import { k8sConfigJsonSchema } from "./json-schema.ts";
import { K8sRunLauncherConfigSchema } from "./launcher-config.ts";
import { RunK8sConfigSchema, ServerK8sConfigSchema } from "./raw-config.ts";

describe("k8sConfigJsonSchema", () => {
  it("converts every config schema to JSON Schema with field descriptions", () => {
    for (const schema of [
      RunK8sConfigSchema,
      ServerK8sConfigSchema,
      K8sContainerContextSchema,
      K8sRunLauncherConfigSchema,
      K8sJobExecutorConfigSchema,
    ]) {
      const json = k8sConfigJsonSchema(schema);
      expect(json.type).toBe("object");
      expect(json.additionalProperties).toBe(false);
      const properties = json.properties as Record<string, { description?: string }>;
      for (const [name, property] of Object.entries(properties)) {
        expect(property.description, `${name} has a description`).toBeTruthy();
      }
    }
  });

  it("marks Kubernetes sections with their model and keeps them open", () => {
    const json = k8sConfigJsonSchema(RunK8sConfigSchema);
    const properties = json.properties as Record<string, Record<string, unknown>>;
    expect(properties.pod_spec_config).toMatchObject({ type: "object", "x-kubernetes-model": "V1PodSpec" });
    expect(properties.merge_behavior).toMatchObject({ enum: ["DEEP", "SHALLOW"], default: "DEEP" });
  });

  it("spells Bosun's keys in camelCase for Helm values when asked, at every depth", () => {
    const json = k8sConfigJsonSchema(K8sRunLauncherConfigSchema, { keyCase: "camel" });
    const properties = json.properties as Record<string, { properties?: Record<string, unknown> }>;
    expect(Object.keys(properties)).toContain("runK8sConfig");
    expect(Object.keys(properties)).toContain("postgresPasswordSecret");
    expect(Object.keys(properties.runK8sConfig?.properties ?? {})).toEqual([
      "containerConfig",
      "podTemplateSpecMetadata",
      "podSpecConfig",
      "jobMetadata",
      "jobSpecConfig",
      "mergeBehavior",
    ]);
  });
});
