import { describe, expect, it } from "vitest";
import { K8sContainerContextSchema } from "../config/container-context.ts";
import { K8sRunLauncherConfigSchema } from "../config/launcher-config.ts";
import { parseK8sConfig } from "../config/parse.ts";
import { explainRunK8sConfig } from "../config/resolve.ts";
import { chartDefaultsOf, formatPodFieldOrigins, manifestPath } from "./explain-pod-fields.ts";

const launcher = (input: unknown) => parseK8sConfig(K8sRunLauncherConfigSchema, input);
const location = (input: unknown) => parseK8sConfig(K8sContainerContextSchema, input);

describe("manifestPath", () => {
  it("spells config paths as the Job manifest does", () => {
    expect(manifestPath("container_config.resources.limits.cpu")).toBe(
      "spec.template.spec.containers[0].resources.limits.cpu",
    );
    expect(manifestPath("pod_spec_config.imagePullSecrets[1]")).toBe(
      "spec.template.spec.imagePullSecrets[1]",
    );
    expect(manifestPath('pod_template_spec_metadata.annotations["a/b"]')).toBe(
      'spec.template.metadata.annotations["a/b"]',
    );
    expect(manifestPath("job_spec_config.backoffLimit")).toBe("spec.backoffLimit");
    expect(manifestPath("namespace")).toBe("metadata.namespace");
  });
});

describe("formatPodFieldOrigins", () => {
  it("credits a launcher value equal to the chart's own to the chart default, and a changed one to the values", () => {
    const chartOnly = launcher({ service_account_name: "bosun", resources: { limits: { cpu: "1" } } });
    const withValues = launcher({ service_account_name: "bosun", resources: { limits: { cpu: "3" } } });
    const text = formatPodFieldOrigins(
      explainRunK8sConfig({ launcher: withValues }),
      chartDefaultsOf(explainRunK8sConfig({ launcher: chartOnly })),
    );
    expect(text).toMatch(
      /^# spec\.template\.spec\.serviceAccountName = "bosun" +← chart default \(launcher\)$/m,
    );
    expect(text).toMatch(
      /^# spec\.template\.spec\.containers\[0\]\.resources\.limits\.cpu = "3" +← instance run launcher config \(launcher\)$/m,
    );
  });

  it("puts what a later layer overrode under the field, naming both layers", () => {
    const text = formatPodFieldOrigins(
      explainRunK8sConfig({
        launcher: launcher({ resources: { limits: { memory: "1Gi" } } }),
        containerContext: location({ resources: { limits: { memory: "2Gi" } } }),
      }),
    );
    const lines = text.split("\n");
    const field = lines.findIndex((line) =>
      line.startsWith("# spec.template.spec.containers[0].resources.limits.memory = "),
    );
    expect(lines[field]).toMatch(/= "2Gi" +← location container context \(container_context\)$/);
    expect(lines[field + 1]).toBe(
      '#     overrode "1Gi" from instance run launcher config (launcher); replaced by location container context',
    );
  });
});
