import { describe, expect, it } from "vitest";
import { K8sMergeTypeError } from "../errors.ts";
import { explainK8sLayers, type K8sConfigLayer, mergeK8sLayers, mergeK8sSections } from "./merge.ts";
import type { K8sSections, MergeBehavior } from "./raw-config.ts";

const layer = (
  name: string,
  sections: K8sSections,
  mergeBehavior: MergeBehavior = "DEEP",
): K8sConfigLayer => ({
  name,
  sections,
  mergeBehavior,
});

describe("DEEP merge", () => {
  it("replaces scalars with the more specific layer's value", () => {
    expect(
      mergeK8sSections(
        { pod_spec_config: { dnsPolicy: "ClusterFirst" } },
        { pod_spec_config: { dnsPolicy: "Default" } },
        "DEEP",
      ),
    ).toEqual({ pod_spec_config: { dnsPolicy: "Default" } });
  });

  it("merges maps recursively, keeping keys only the lower layer has", () => {
    expect(
      mergeK8sSections(
        {
          container_config: { resources: { limits: { cpu: "1", memory: "1Gi" }, requests: { cpu: "100m" } } },
        },
        { container_config: { resources: { limits: { cpu: "2" } } } },
        "DEEP",
      ),
    ).toEqual({
      container_config: { resources: { limits: { cpu: "2", memory: "1Gi" }, requests: { cpu: "100m" } } },
    });
  });

  it("appends lists, lower layer's items first", () => {
    expect(
      mergeK8sSections(
        { pod_spec_config: { tolerations: [{ key: "a", operator: "Exists" }] } },
        { pod_spec_config: { tolerations: [{ key: "b", operator: "Exists" }] } },
        "DEEP",
      ),
    ).toEqual({
      pod_spec_config: {
        tolerations: [
          { key: "a", operator: "Exists" },
          { key: "b", operator: "Exists" },
        ],
      },
    });
  });

  it("drops exact duplicates when appending, whatever the key order of the duplicate", () => {
    expect(
      mergeK8sSections(
        { container_config: { env: [{ name: "A", value: "1" }] } },
        {
          container_config: {
            env: [
              { value: "1", name: "A" },
              { name: "B", value: "2" },
            ],
          },
        },
        "DEEP",
      ),
    ).toEqual({
      container_config: {
        env: [
          { name: "A", value: "1" },
          { name: "B", value: "2" },
        ],
      },
    });
  });

  it("keeps items that share a name but differ in value (only exact duplicates are removed)", () => {
    expect(
      mergeK8sSections(
        { container_config: { env: [{ name: "A", value: "1" }] } },
        { container_config: { env: [{ name: "A", value: "2" }] } },
        "DEEP",
      ),
    ).toEqual({
      container_config: {
        env: [
          { name: "A", value: "1" },
          { name: "A", value: "2" },
        ],
      },
    });
  });

  it("removes duplicates within a single layer's list too", () => {
    expect(
      mergeK8sSections(
        {},
        { container_config: { ports: [{ containerPort: 80 }, { containerPort: 80 }] } },
        "DEEP",
      ),
    ).toEqual({ container_config: { ports: [{ containerPort: 80 }] } });
  });

  it("replaces `command` and `args` instead of appending them", () => {
    expect(
      mergeK8sSections(
        { container_config: { command: ["/tini", "--"], workingDir: "/app" } },
        { container_config: { command: ["/bin/sh", "-c"] } },
        "DEEP",
      ),
    ).toEqual({ container_config: { command: ["/bin/sh", "-c"], workingDir: "/app" } });
  });

  it("replaces `command` and `args` at any depth (a probe's exec command, a sidecar's args)", () => {
    const merged = mergeK8sSections(
      {
        container_config: { livenessProbe: { exec: { command: ["check", "--old"] }, periodSeconds: 10 } },
        pod_spec_config: { initContainers: [{ name: "init", args: ["a"] }] },
      },
      { container_config: { livenessProbe: { exec: { command: ["check", "--new"] } } } },
      "DEEP",
    );
    expect(merged).toEqual({
      container_config: { livenessProbe: { exec: { command: ["check", "--new"] }, periodSeconds: 10 } },
      pod_spec_config: { initContainers: [{ name: "init", args: ["a"] }] },
    });
  });

  it("does not merge list items element by element: two sidecars with one name both survive", () => {
    expect(
      mergeK8sSections(
        { pod_spec_config: { containers: [{ name: "proxy", image: "proxy:1" }] } },
        { pod_spec_config: { containers: [{ name: "proxy", image: "proxy:2" }] } },
        "DEEP",
      ),
    ).toEqual({
      pod_spec_config: {
        containers: [
          { name: "proxy", image: "proxy:1" },
          { name: "proxy", image: "proxy:2" },
        ],
      },
    });
  });

  it("rejects a list merged onto a map, naming the path and the layer", () => {
    const attempt = () =>
      mergeK8sLayers([
        layer("base", { pod_spec_config: { affinity: { x: {} } } }),
        layer("job tag", { pod_spec_config: { affinity: { x: ["a"] } } }),
      ]);
    expect(attempt).toThrow(K8sMergeTypeError);
    expect(attempt).toThrow("`pod_spec_config.affinity.x` from job tag");
  });

  it("rejects a map merged onto a list", () => {
    expect(() =>
      mergeK8sSections({ container_config: { env: [] } }, { container_config: { env: { A: "1" } } }, "DEEP"),
    ).toThrow(K8sMergeTypeError);
  });

  it("does not modify its inputs", () => {
    const onto = {
      container_config: { env: [{ name: "A", value: "1" }], resources: { limits: { cpu: "1" } } },
    };
    const from = {
      container_config: { env: [{ name: "B", value: "2" }], resources: { limits: { cpu: "2" } } },
    };
    const before = structuredClone([onto, from]);
    mergeK8sSections(onto, from, "DEEP");
    expect([onto, from]).toEqual(before);
  });
});

describe("SHALLOW merge", () => {
  it("replaces each top-level field of a section whole and keeps the fields the layer does not give", () => {
    expect(
      mergeK8sSections(
        {
          container_config: {
            resources: { limits: { cpu: "1", memory: "1Gi" } },
            env: [{ name: "A", value: "1" }],
            workingDir: "/a",
          },
        },
        { container_config: { resources: { limits: { cpu: "2" } }, env: [{ name: "B", value: "2" }] } },
        "SHALLOW",
      ),
    ).toEqual({
      container_config: {
        resources: { limits: { cpu: "2" } },
        env: [{ name: "B", value: "2" }],
        workingDir: "/a",
      },
    });
  });

  it("leaves sections the layer does not give untouched", () => {
    expect(
      mergeK8sSections(
        { job_spec_config: { backoffLimit: 2 }, pod_spec_config: { dnsPolicy: "Default" } },
        { pod_spec_config: { schedulerName: "custom" } },
        "SHALLOW",
      ),
    ).toEqual({
      job_spec_config: { backoffLimit: 2 },
      pod_spec_config: { dnsPolicy: "Default", schedulerName: "custom" },
    });
  });
});

describe("seed worked examples (Precedence rules), in canonical spelling", () => {
  const helmPodSpecConfig = {
    nodeSelector: { disktype: "ssd" },
    dnsPolicy: "ClusterFirst",
    imagePullSecrets: [{ name: "my-secret" }],
  };

  it("DEEP: merges node selectors, appends image pull secrets, replaces the DNS policy", () => {
    const merged = mergeK8sLayers([
      layer("launcher.run_k8s_config", { pod_spec_config: helmPodSpecConfig }),
      layer("job tag", {
        pod_spec_config: {
          nodeSelector: { region: "east" },
          dnsPolicy: "Default",
          imagePullSecrets: [{ name: "another-secret" }],
        },
      }),
    ]);
    expect(merged.pod_spec_config).toEqual({
      nodeSelector: { disktype: "ssd", region: "east" },
      dnsPolicy: "Default",
      imagePullSecrets: [{ name: "my-secret" }, { name: "another-secret" }],
    });
  });

  it("SHALLOW: the job's node selector and pull secrets replace the chart's, the chart's DNS policy stays", () => {
    const merged = mergeK8sLayers([
      layer("launcher.run_k8s_config", { pod_spec_config: helmPodSpecConfig }),
      layer(
        "job tag",
        {
          pod_spec_config: {
            nodeSelector: { region: "east" },
            imagePullSecrets: [{ name: "another-secret" }],
          },
        },
        "SHALLOW",
      ),
    ]);
    expect(merged.pod_spec_config).toEqual({
      nodeSelector: { region: "east" },
      dnsPolicy: "ClusterFirst",
      imagePullSecrets: [{ name: "another-secret" }],
    });
  });
});

describe("layers", () => {
  it("a layer with no config changes nothing, whatever its merge behavior", () => {
    const base = layer("base", { container_config: { env: [{ name: "A", value: "1" }] } });
    expect(mergeK8sLayers([base, layer("empty", {}, "SHALLOW")])).toEqual(mergeK8sLayers([base]));
    expect(mergeK8sLayers([base, layer("empty", {}, "DEEP")])).toEqual(mergeK8sLayers([base]));
  });

  it("each layer's behavior governs only how it merges onto the layers below", () => {
    const merged = mergeK8sLayers([
      layer("one", { container_config: { resources: { limits: { cpu: "1", memory: "1Gi" } } } }),
      layer("two", { container_config: { resources: { requests: { cpu: "100m" } } } }, "SHALLOW"),
      layer("three", { container_config: { resources: { limits: { cpu: "3" } } } }, "DEEP"),
    ]);
    // two replaced `resources` whole (dropping one's limits); three then deep-merged onto two.
    expect(merged.container_config).toEqual({
      resources: { requests: { cpu: "100m" }, limits: { cpu: "3" } },
    });
  });

  it("merging a scope as two layers equals merging it at once (associativity), for both behaviors", () => {
    const base: K8sSections = {
      container_config: { env: [{ name: "A", value: "1" }], resources: { limits: { cpu: "1" } } },
    };
    const shortcuts: K8sSections = { container_config: { env: [{ name: "B", value: "2" }] } };
    const raw: K8sSections = {
      container_config: { resources: { requests: { cpu: "1" } }, env: [{ name: "C", value: "3" }] },
    };
    for (const behavior of ["DEEP", "SHALLOW"] as const) {
      const stepwise = mergeK8sLayers([
        layer("base", base),
        layer("s", shortcuts, behavior),
        layer("r", raw, behavior),
      ]);
      const atOnce = mergeK8sSections(base, mergeK8sSections(shortcuts, raw, behavior), behavior);
      expect(stepwise).toEqual(atOnce);
    }
  });
});

describe("explain", () => {
  it("names the layer that set every leaf and every list item", () => {
    const { origins } = explainK8sLayers([
      layer("launcher", {
        pod_spec_config: { nodeSelector: { disktype: "ssd" }, imagePullSecrets: [{ name: "my-secret" }] },
      }),
      layer("job tag", {
        pod_spec_config: { nodeSelector: { region: "east" }, imagePullSecrets: [{ name: "another-secret" }] },
        container_config: { command: ["run"], volumeMounts: [] },
      }),
    ]);
    expect(origins).toEqual([
      { path: "pod_spec_config.nodeSelector.disktype", value: "ssd", layer: "launcher" },
      { path: "pod_spec_config.nodeSelector.region", value: "east", layer: "job tag" },
      { path: "pod_spec_config.imagePullSecrets[0]", value: { name: "my-secret" }, layer: "launcher" },
      { path: "pod_spec_config.imagePullSecrets[1]", value: { name: "another-secret" }, layer: "job tag" },
      { path: "container_config.command[0]", value: "run", layer: "job tag" },
      { path: "container_config.volumeMounts", value: [], layer: "job tag" },
    ]);
  });

  it("credits a replaced scalar to the more specific layer and a deduplicated item to the first layer that gave it", () => {
    const { origins } = explainK8sLayers([
      layer("a", { pod_spec_config: { dnsPolicy: "ClusterFirst", tolerations: [{ key: "x" }] } }),
      layer("b", { pod_spec_config: { dnsPolicy: "Default", tolerations: [{ key: "x" }] } }),
    ]);
    expect(origins).toEqual([
      { path: "pod_spec_config.dnsPolicy", value: "Default", layer: "b" },
      { path: "pod_spec_config.tolerations[0]", value: { key: "x" }, layer: "a" },
    ]);
  });

  it("quotes map keys that are not identifiers, such as annotation keys", () => {
    const { origins } = explainK8sLayers([
      layer("tag", {
        pod_template_spec_metadata: {
          annotations: { "cluster-autoscaler.kubernetes.io/safe-to-evict": "true" },
        },
      }),
    ]);
    expect(origins).toEqual([
      {
        path: 'pod_template_spec_metadata.annotations["cluster-autoscaler.kubernetes.io/safe-to-evict"]',
        value: "true",
        layer: "tag",
      },
    ]);
  });

  it("gives the same merged sections as the plain merge", () => {
    const layers = [
      layer("a", {
        container_config: { env: [{ name: "A", value: "1" }] },
        job_spec_config: { backoffLimit: 1 },
      }),
      layer("b", { container_config: { env: [{ name: "B", value: "1" }] } }, "SHALLOW"),
    ];
    expect(explainK8sLayers(layers).sections).toEqual(mergeK8sLayers(layers));
  });

  it("records what a later layer replaced: a scalar (oldest first), a command list and a SHALLOW layer's field", () => {
    const { overrides } = explainK8sLayers([
      layer("a", {
        pod_spec_config: { dnsPolicy: "ClusterFirst", nodeSelector: { pool: "a" } },
        container_config: { command: ["a"] },
      }),
      layer("b", { pod_spec_config: { dnsPolicy: "Default" }, container_config: { command: ["b"] } }),
      layer("c", { pod_spec_config: { dnsPolicy: "None", nodeSelector: { zone: "c" } } }, "SHALLOW"),
    ]);
    expect(overrides).toEqual([
      { path: "pod_spec_config.dnsPolicy", value: "ClusterFirst", layer: "a", by: "b" },
      { path: "pod_spec_config.dnsPolicy", value: "Default", layer: "b", by: "c" },
      { path: "pod_spec_config.nodeSelector", value: { pool: "a" }, layer: "a", by: "c" },
      { path: "container_config.command", value: ["a"], layer: "a", by: "b" },
    ]);
  });

  it("records no override where layers only add (maps merged, lists appended)", () => {
    const { overrides } = explainK8sLayers([
      layer("a", { pod_spec_config: { nodeSelector: { pool: "a" }, tolerations: [{ key: "x" }] } }),
      layer("b", { pod_spec_config: { nodeSelector: { zone: "b" }, tolerations: [{ key: "y" }] } }),
    ]);
    expect(overrides).toEqual([]);
  });
});
