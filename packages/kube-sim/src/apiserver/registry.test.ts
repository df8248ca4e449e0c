import { describe, expect, it } from "vitest";
import { ObjectStore } from "../store/object-store.ts";
import { Registry } from "./registry.ts";

function registry() {
  const r = new Registry(new ObjectStore(100));
  r.create(r.type("v1", "Namespace"), undefined, { metadata: { name: "default" } });
  return r;
}

describe("Registry", () => {
  it("creates with generateName, defaults and the namespace's default service account", () => {
    const r = registry();
    const cm = r.create(r.type("v1", "ConfigMap"), "default", { metadata: { generateName: "cfg-" } });
    expect(cm.metadata.name).toMatch(/^cfg-[a-z0-9]{5}$/);
    expect(cm.metadata.uid).toBeDefined();
    expect(r.get(r.type("v1", "ServiceAccount"), "default", "default").metadata.name).toBe("default");
  });

  it("refuses objects in a namespace that does not exist with 404", () => {
    const r = registry();
    expect(() => r.create(r.type("v1", "ConfigMap"), "nope", { metadata: { name: "c" } })).toThrow(
      expect.objectContaining({ code: 404, message: 'namespaces "nope" not found' }),
    );
  });

  it("answers 409 AlreadyExists and 409 Conflict on a stale resourceVersion", () => {
    const r = registry();
    const type = r.type("v1", "ConfigMap");
    const cm = r.create(type, "default", { metadata: { name: "c" }, data: { a: "1" } });
    expect(() => r.create(type, "default", { metadata: { name: "c" } })).toThrow(
      expect.objectContaining({ code: 409, reason: "AlreadyExists" }),
    );
    r.update(type, "default", "c", { ...cm, data: { a: "2" } });
    expect(() => r.update(type, "default", "c", { ...cm, data: { a: "3" } })).toThrow(
      expect.objectContaining({ code: 409, reason: "Conflict" }),
    );
  });

  it("rejects invalid objects with 422 causes naming each field", () => {
    const r = registry();
    try {
      r.create(r.type("v1", "Pod"), "default", {
        metadata: { name: "p" },
        spec: { containers: [{ name: "c" }] },
      });
      expect.unreachable();
    } catch (error) {
      expect((error as any).toStatus()).toMatchObject({
        code: 422,
        reason: "Invalid",
        message: 'Pod "p" is invalid: spec.containers[0].image: Required value',
        details: { causes: [{ field: "spec.containers[0].image", reason: "FieldValueRequired" }] },
      });
    }
  });

  it("keeps an object with finalizers until they are removed", () => {
    const r = registry();
    const type = r.type("v1", "ConfigMap");
    r.create(type, "default", { metadata: { name: "f", finalizers: ["example.com/hold"] } });
    const deleting = r.delete(type, "default", "f");
    expect(deleting.metadata.deletionTimestamp).toBeDefined();
    expect(r.tryGet(type, "default", "f")).toBeDefined();
    r.patch(type, "default", "f", "merge", JSON.stringify({ metadata: { finalizers: null } }));
    expect(r.tryGet(type, "default", "f")).toBeUndefined();
  });

  it("bumps generation on spec changes only", () => {
    const r = registry();
    const type = r.type("apps/v1", "Deployment");
    const body = {
      metadata: { name: "d" },
      spec: {
        selector: { matchLabels: { a: "b" } },
        template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "i" }] } },
      },
    };
    r.create(type, "default", body);
    const labelled = r.patch(
      type,
      "default",
      "d",
      "merge",
      JSON.stringify({ metadata: { labels: { x: "y" } } }),
    );
    expect(labelled.metadata.generation).toBe(1);
    const scaled = r.patch(type, "default", "d", "merge", JSON.stringify({ spec: { replicas: 3 } }));
    expect(scaled.metadata.generation).toBe(2);
  });
});

describe("ObjectStore watch history", () => {
  it("answers 410 Gone for a resourceVersion older than the retained history", () => {
    const r = registry();
    const type = r.type("v1", "ConfigMap");
    const start = r.store.currentRevision;
    for (let i = 0; i < 150; i++) r.create(type, "default", { metadata: { name: `c${i}` } });
    expect(() => r.store.eventsSince(type, start)).toThrow(expect.objectContaining({ code: 410 }));
    const recent = r.store.currentRevision - 5;
    expect(r.store.eventsSince(type, recent).map((e) => e.type)).toEqual([
      "ADDED",
      "ADDED",
      "ADDED",
      "ADDED",
      "ADDED",
    ]);
  });
});
