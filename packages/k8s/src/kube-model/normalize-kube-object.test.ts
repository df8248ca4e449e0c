import { describe, expect, it } from "vitest";
import { normalizeKubeObject } from "./normalize-kube-object.ts";

describe("normalizeKubeObject", () => {
  it("accepts snake_case and camelCase at every depth and writes camelCase", () => {
    const { value, issues } = normalizeKubeObject("V1PodSpec", {
      node_selector: { disktype: "ssd" },
      affinity: {
        node_affinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            node_selector_terms: [
              { match_expressions: [{ key: "kubernetes.io/os", operator: "In", values: ["linux"] }] },
            ],
          },
        },
      },
      volumes: [{ name: "v", secret: { secret_name: "s", default_mode: 420 } }],
      host_ipc: false,
    });
    expect(issues).toEqual([]);
    expect(value).toEqual({
      nodeSelector: { disktype: "ssd" },
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: "kubernetes.io/os", operator: "In", values: ["linux"] }] },
            ],
          },
        },
      },
      volumes: [{ name: "v", secret: { secretName: "s", defaultMode: 420 } }],
      hostIPC: false,
    });
  });

  it("never renames the keys of map fields (labels, annotations, nodeSelector, resource limits)", () => {
    const { value, issues } = normalizeKubeObject("V1ObjectMeta", {
      labels: { my_label: "x", "app.kubernetes.io/name": "y" },
      annotations: { some_annotation: "1", "cluster-autoscaler.kubernetes.io/safe-to-evict": "true" },
    });
    expect(issues).toEqual([]);
    expect(value).toEqual({
      labels: { my_label: "x", "app.kubernetes.io/name": "y" },
      annotations: { some_annotation: "1", "cluster-autoscaler.kubernetes.io/safe-to-evict": "true" },
    });
    expect(normalizeKubeObject("V1PodSpec", { nodeSelector: { node_pool: "a" } }).value).toEqual({
      nodeSelector: { node_pool: "a" },
    });
  });

  it("reports an unknown field with its path and the nearest field in the user's snake_case spelling", () => {
    const { issues } = normalizeKubeObject("V1PodSpec", { node_selectr: { a: "b" } });
    expect(issues).toEqual([
      {
        path: ["node_selectr"],
        expected: "a field of Kubernetes PodSpec",
        suggestion: "node_selector",
        message: "unknown field; did you mean `node_selector`?",
      },
    ]);
  });

  it("answers a camelCase typo in camelCase, deep inside lists", () => {
    const { issues } = normalizeKubeObject("V1PodSpec", {
      containers: [{ name: "a", volumeMounts: [{ name: "v", mountPth: "/x" }] }],
    });
    expect(issues).toEqual([
      expect.objectContaining({
        path: ["containers", 0, "volumeMounts", 0, "mountPth"],
        suggestion: "mountPath",
        message: "unknown field; did you mean `mountPath`?",
      }),
    ]);
  });

  it("reports an unknown field with nothing close without a suggestion", () => {
    const { issues } = normalizeKubeObject("V1JobSpec", { zzzzzzzz: 1 });
    expect(issues).toEqual([
      {
        path: ["zzzzzzzz"],
        expected: "a field of Kubernetes JobSpec",
        message: "unknown field (not a field of Kubernetes JobSpec)",
      },
    ]);
  });

  it("rejects both spellings of one field in one object", () => {
    const { issues } = normalizeKubeObject("V1Container", { volumeMounts: [], volume_mounts: [] });
    expect(issues).toEqual([
      {
        path: ["volume_mounts"],
        expected: "one spelling per field",
        message: "`volumeMounts` and `volume_mounts` are the same field; give it once",
      },
    ]);
  });

  it("rejects wrong types with what was expected and what was given", () => {
    const { issues } = normalizeKubeObject("V1JobSpec", {
      backoff_limit: "3",
      ttlSecondsAfterFinished: 1.5,
      suspend: "yes",
      podFailurePolicy: [],
    });
    expect(issues.map((issue) => [issue.path, issue.message])).toEqual([
      [["backoff_limit"], 'expected an integer, got string "3"'],
      [["ttlSecondsAfterFinished"], "expected an integer, got number 1.5"],
      [["suspend"], 'expected true or false, got string "yes"'],
      [["podFailurePolicy"], "expected a PodFailurePolicy map, got a list"],
    ]);
  });

  it("describes list and map types in messages", () => {
    const { issues } = normalizeKubeObject("V1Container", {
      args: "run",
      env: { A: "1" },
      resources: { limits: ["1"] },
    });
    expect(issues.map((issue) => issue.message)).toEqual([
      'expected a list of strings, got string "run"',
      "expected a list of EnvVar maps, got a map",
      "expected a map of names to quantities such as 500m or 2Gi, got a list",
    ]);
  });

  it("accepts integers or strings for int-or-string fields", () => {
    const { value, issues } = normalizeKubeObject("V1Probe", {
      http_get: { path: "/healthz", port: 8080 },
      tcpSocket: { port: "http" },
    });
    expect(issues).toEqual([]);
    expect(value).toEqual({ httpGet: { path: "/healthz", port: 8080 }, tcpSocket: { port: "http" } });
    expect(normalizeKubeObject("V1TCPSocketAction", { port: true }).issues[0]?.message).toBe(
      "expected an integer or a string, got boolean true",
    );
  });

  it("writes numeric resource quantities as strings", () => {
    const { value, issues } = normalizeKubeObject("V1ResourceRequirements", {
      limits: { cpu: 1, memory: "1Gi" },
      requests: { cpu: 0.5 },
    });
    expect(issues).toEqual([]);
    expect(value).toEqual({ limits: { cpu: "1", memory: "1Gi" }, requests: { cpu: "0.5" } });
  });

  it("drops null values as not set", () => {
    const { value, issues } = normalizeKubeObject("V1Container", {
      image: null,
      resources: { limits: { cpu: null } },
    });
    expect(issues).toEqual([]);
    expect(value).toEqual({ resources: { limits: {} } });
  });

  it("checks label keys and values and annotation keys", () => {
    const { issues } = normalizeKubeObject("V1ObjectMeta", {
      labels: { ok: "fine", "bad key!": "x", trailing: "dot.", empty: "" },
      annotations: { "/nope": "x" },
    });
    expect(issues.map((issue) => issue.path)).toEqual([
      ["labels", "bad key!"],
      ["labels", "trailing"],
      ["annotations", "/nope"],
    ]);
  });
});
