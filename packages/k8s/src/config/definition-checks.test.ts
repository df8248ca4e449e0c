import { checkDefinitions, describeProblem } from "@bosun/engine";
import { asset, defineDefinitions, job, op } from "bosun";
import { describe, expect, it } from "vitest";
import { k8sPlugin } from "../plugin.ts";
import { checkK8sConfigTag, checkK8sContainerContext } from "./definition-checks.ts";
import { K8S_CONFIG_TAG } from "./tag.ts";

const TAG = "bosun-k8s/config";
const checks = k8sPlugin.definitionChecks!;

/** The problems the plugin's checks find, as the messages a user sees. */
async function messages(definitions: ReturnType<typeof defineDefinitions>, context: unknown = null) {
  return (await checkDefinitions(definitions, checks, context as never)).map(describeProblem);
}

describe("k8sPlugin definition checks", () => {
  it("checks the tag the Kubernetes package reads, and the container context's k8s section", () => {
    expect(Object.keys(checks.tags ?? {})).toEqual([K8S_CONFIG_TAG]);
    expect(Object.keys(checks.containerContext ?? {})).toEqual(["k8s"]);
  });

  it("names a job whose tag misspells a container field, with the nearest field", async () => {
    const definitions = defineDefinitions({
      jobs: [
        job({
          name: "nightly",
          tags: { [TAG]: { container_config: { resourcs: { limits: { cpu: "1" } } } } },
          build: () => void op({ name: "step", run: async () => 1 })(),
        }),
      ],
    });
    expect(await messages(definitions)).toEqual([
      'job "nightly" tag bosun-k8s/config: `container_config.resourcs`: unknown field; did you mean `resources`?',
    ]);
  });

  it("names an op whose tag (JSON text) misspells a pod spec field", async () => {
    const pinned = op({
      name: "pinned",
      tags: { [TAG]: JSON.stringify({ pod_spec_config: { nodeSelectr: { disktype: "ssd" } } }) },
      run: async () => 1,
    });
    const definitions = defineDefinitions({ jobs: [job({ name: "j", build: () => void pinned() })] });
    expect(await messages(definitions)).toEqual([
      'op "pinned" tag bosun-k8s/config: `pod_spec_config.nodeSelectr`: unknown field; did you mean `nodeSelector`?',
    ]);
  });

  it("names an asset whose tag misspells a section", async () => {
    const big = asset({ key: "big", opTags: { [TAG]: { pod_spec_confg: {} } }, run: async () => 1 });
    const [message] = await messages(defineDefinitions({ assets: [big] }));
    expect(message).toBe(
      'asset "big" tag bosun-k8s/config: `pod_spec_confg`: unknown field; did you mean `pod_spec_config`?',
    );
  });

  it("checks a misspelt key deep in the container context's run config", async () => {
    const definitions = defineDefinitions({ jobs: [] });
    const context = {
      k8s: { run_k8s_config: { pod_spec_config: { tolerations: [{ efect: "NoSchedule" }] } } },
    };
    expect(await messages(definitions, context)).toEqual([
      "container_context.k8s: `run_k8s_config.pod_spec_config.tolerations[0].efect`: unknown field; did you mean `effect`?",
    ]);
  });

  it("accepts valid config in either spelling", () => {
    expect(checkK8sConfigTag({ podSpecConfig: { node_selector: { disktype: "ssd" } } })).toEqual([]);
    expect(checkK8sConfigTag('{"container_config":{"resources":{"limits":{"cpu":"1"}}}}')).toEqual([]);
    expect(checkK8sContainerContext({ namespace: "data", run_k8s_config: {} })).toEqual([]);
    expect(checkK8sContainerContext({ namespace: "analytics", env_vars: ["REGION=eu"] })).toEqual([]);
  });

  it("reports tag text that is not JSON or YAML as an issue, not a throw", () => {
    expect(checkK8sConfigTag("{not json")).toEqual([
      expect.objectContaining({ path: K8S_CONFIG_TAG, expected: "a JSON object" }),
    ]);
  });
});
