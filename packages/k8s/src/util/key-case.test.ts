import { describe, expect, it } from "vitest";
import { spellLike, toCamelCase, toSnakeCase } from "./key-case.ts";

describe("key case", () => {
  it("snake-cases Kubernetes names the way the Python client does", () => {
    expect(toSnakeCase("nodeSelector")).toBe("node_selector");
    expect(toSnakeCase("hostIPC")).toBe("host_ipc");
    expect(toSnakeCase("targetWWNs")).toBe("target_ww_ns");
    expect(toSnakeCase("requiredDuringSchedulingIgnoredDuringExecution")).toBe(
      "required_during_scheduling_ignored_during_execution",
    );
  });

  it("camel-cases Bosun's snake_case keys", () => {
    expect(toCamelCase("image_pull_policy")).toBe("imagePullPolicy");
    expect(toCamelCase("run_k8s_config")).toBe("runK8sConfig");
  });

  it("answers in the style the user wrote", () => {
    expect(spellLike("node_selectr", "node_selector", "nodeSelector", "camel")).toBe("node_selector");
    expect(spellLike("nodeSelectr", "node_selector", "nodeSelector", "snake")).toBe("nodeSelector");
    expect(spellLike("imag", "image", "image", "camel")).toBe("image");
    expect(spellLike("labls", "labels", "labels", "snake")).toBe("labels");
  });
});
