import { describe, expect, it } from "vitest";
import { K8sConfigError } from "../errors.ts";
import { k8sConfigFromTags } from "./tag.ts";

describe("k8sConfigFromTags", () => {
  it("is undefined when the tag is absent", () => {
    expect(k8sConfigFromTags(undefined, "job tag")).toBeUndefined();
    expect(k8sConfigFromTags({ other: "x" }, "job tag")).toBeUndefined();
  });

  it("reads an object or its JSON text, canonicalised", () => {
    const expected = { pod_spec_config: { nodeSelector: { disktype: "ssd" } }, merge_behavior: "DEEP" };
    expect(
      k8sConfigFromTags(
        { "bosun-k8s/config": { pod_spec_config: { node_selector: { disktype: "ssd" } } } },
        "t",
      ),
    ).toEqual(expected);
    expect(
      k8sConfigFromTags({ "bosun-k8s/config": '{"podSpecConfig":{"nodeSelector":{"disktype":"ssd"}}}' }, "t"),
    ).toEqual(expected);
  });

  it("names the tag's source in errors", () => {
    const attempt = () =>
      k8sConfigFromTags(
        { "bosun-k8s/config": { pod_spec_config: { node_selectr: {} } } },
        "op tag bosun-k8s/config",
      );
    expect(attempt).toThrow(K8sConfigError);
    expect(attempt).toThrow(
      "op tag bosun-k8s/config: `pod_spec_config.node_selectr`: unknown field; did you mean `node_selector`?",
    );
  });

  it("rejects text that is not JSON", () => {
    expect(() => k8sConfigFromTags({ "bosun-k8s/config": "{not json" }, "job tag")).toThrow(K8sConfigError);
  });
});
