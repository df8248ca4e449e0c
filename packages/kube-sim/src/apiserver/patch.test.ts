import { describe, expect, it } from "vitest";
import { jsonPatch, mergePatch, strategicMergePatch } from "./patch.ts";
import { serverSideApply } from "./server-side-apply.ts";

const deployment = () => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", labels: { a: "1" }, finalizers: ["x"] },
  spec: {
    template: {
      spec: {
        containers: [
          {
            name: "web",
            image: "web:1",
            env: [
              { name: "A", value: "1" },
              { name: "B", value: "2" },
            ],
          },
          { name: "sidecar", image: "side:1" },
        ],
        tolerations: [{ key: "k", operator: "Exists" }],
      },
    },
  },
});

describe("mergePatch", () => {
  it("merges objects, replaces lists and deletes keys set to null", () => {
    expect(mergePatch({ a: 1, b: { c: 2, d: 3 }, l: [1, 2] }, { b: { c: null, e: 4 }, l: [3] })).toEqual({
      a: 1,
      b: { d: 3, e: 4 },
      l: [3],
    });
  });
});

describe("jsonPatch", () => {
  it("applies add, replace, remove, move, copy and test in order", () => {
    const doc = { a: [1, 2], b: { c: "x" } };
    const out = jsonPatch(doc, [
      { op: "add", path: "/a/-", value: 3 },
      { op: "replace", path: "/b/c", value: "y" },
      { op: "copy", from: "/b/c", path: "/d" },
      { op: "move", from: "/a/0", path: "/first" },
      { op: "remove", path: "/b" },
      { op: "test", path: "/d", value: "y" },
    ]);
    expect(out).toEqual({ a: [2, 3], d: "y", first: 1 });
  });

  it("fails a test operation with 422", () => {
    expect(() => jsonPatch({ a: 1 }, [{ op: "test", path: "/a", value: 2 }])).toThrow(
      expect.objectContaining({ code: 422 }),
    );
  });
});

describe("strategicMergePatch", () => {
  it("merges containers by name and env by name, keeping unmentioned items", () => {
    const out = strategicMergePatch(
      deployment(),
      {
        spec: {
          template: {
            spec: { containers: [{ name: "web", image: "web:2", env: [{ name: "B", value: "3" }] }] },
          },
        },
      },
      "V1Deployment",
    ) as any;
    expect(out.spec.template.spec.containers).toEqual([
      {
        name: "web",
        image: "web:2",
        env: [
          { name: "A", value: "1" },
          { name: "B", value: "3" },
        ],
      },
      { name: "sidecar", image: "side:1" },
    ]);
  });

  it("replaces atomic lists such as tolerations", () => {
    const out = strategicMergePatch(
      deployment(),
      { spec: { template: { spec: { tolerations: [{ key: "z", operator: "Exists" }] } } } },
      "V1Deployment",
    ) as any;
    expect(out.spec.template.spec.tolerations).toEqual([{ key: "z", operator: "Exists" }]);
  });

  it("honours $patch: delete, $setElementOrder and $deleteFromPrimitiveList as kubectl sends them", () => {
    const out = strategicMergePatch(
      deployment(),
      {
        metadata: { "$deleteFromPrimitiveList/finalizers": ["x"] },
        spec: {
          template: {
            spec: {
              "$setElementOrder/containers": [{ name: "sidecar" }, { name: "web" }],
              containers: [{ name: "web", env: [{ name: "A", $patch: "delete" }] }],
            },
          },
        },
      },
      "V1Deployment",
    ) as any;
    expect(out.metadata.finalizers).toEqual([]);
    expect(out.spec.template.spec.containers.map((c: any) => c.name)).toEqual(["sidecar", "web"]);
    expect(out.spec.template.spec.containers[1].env).toEqual([{ name: "B", value: "2" }]);
  });

  it("unions set-like primitive lists (finalizers)", () => {
    const out = strategicMergePatch(deployment(), { metadata: { finalizers: ["y"] } }, "V1Deployment") as any;
    expect(out.metadata.finalizers).toEqual(["x", "y"]);
  });
});

describe("serverSideApply", () => {
  it("removes fields its manager no longer applies but keeps other managers' fields", () => {
    const owned = new Map<string, Set<string>>();
    let live = serverSideApply(
      {},
      { metadata: { name: "c", labels: { a: "1", b: "2" } }, data: { x: "1", y: "2" } },
      "V1ConfigMap",
      "helm",
      owned,
    ) as any;
    live = serverSideApply(
      live,
      { metadata: { name: "c", labels: { other: "yes" } } },
      "V1ConfigMap",
      "someone",
      owned,
    );
    live = serverSideApply(
      live,
      { metadata: { name: "c", labels: { a: "1" } }, data: { x: "1" } },
      "V1ConfigMap",
      "helm",
      owned,
    );
    expect(live.metadata.labels).toEqual({ a: "1", other: "yes" });
    expect(live.data).toEqual({ x: "1" });
  });
});
