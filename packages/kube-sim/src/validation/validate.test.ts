import { describe, expect, it } from "vitest";
import { assertValidObject, InvalidObjectError, validateObject } from "./index.ts";

const job = (spec: Record<string, unknown> = {}, name = "bosun-run-1") => ({
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: { name, namespace: "default", labels: { "app.kubernetes.io/name": "bosun" } },
  spec: {
    backoffLimit: 0,
    template: {
      metadata: { labels: { app: "bosun" } },
      spec: { restartPolicy: "Never", containers: [{ name: "run", image: "bosun/bosun:1", ...spec }] },
    },
  },
});

const paths = (o: unknown) => validateObject(o).map((i) => i.path);

describe("validateObject", () => {
  it("accepts a well-formed Job", () => {
    expect(
      validateObject(
        job({ env: [{ name: "A", value: "1" }], resources: { limits: { memory: "64Mi", cpu: 1 } } }),
      ),
    ).toEqual([]);
  });

  it("rejects a misspelt container field naming the path and the nearest valid key", () => {
    expect(validateObject(job({ volume_mounts: [] }))).toEqual([
      {
        path: "spec.template.spec.containers[0].volume_mounts",
        reason: "FieldValueUnknown",
        message: "unknown field; did you mean volumeMounts?",
      },
    ]);
  });

  it("rejects wrong types with the expected type", () => {
    const issues = validateObject(job({ args: "--verbose" }));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      path: "spec.template.spec.containers[0].args",
      reason: "FieldValueTypeInvalid",
    });
    expect(issues[0]!.message).toContain("expected array");
    expect(paths(job({ ports: [{ containerPort: "80" }] }))).toEqual([
      "spec.template.spec.containers[0].ports[0].containerPort",
    ]);
    expect(paths(job({ ports: [{ containerPort: 80.5 }] }))).toEqual([
      "spec.template.spec.containers[0].ports[0].containerPort",
    ]);
  });

  it("checks map values and IntOrString fields", () => {
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { ok: "x", bad: 3 } };
    expect(paths(cm)).toEqual(["data[bad]"]);
    const svc = (targetPort: unknown) => ({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "web" },
      spec: { selector: { app: "web" }, ports: [{ port: 80, targetPort }] },
    });
    expect(validateObject(svc(8080))).toEqual([]);
    expect(validateObject(svc("http"))).toEqual([]);
    expect(paths(svc(true))).toEqual(["spec.ports[0].targetPort"]);
  });

  it("requires container name and image and a Job restartPolicy of Never or OnFailure", () => {
    const o = job();
    const container = o.spec.template.spec.containers[0] as Record<string, unknown>;
    delete container.name;
    delete container.image;
    (o.spec.template.spec as Record<string, unknown>).restartPolicy = "Always";
    expect(validateObject(o).map((i) => `${i.path} ${i.reason}`)).toEqual([
      "spec.template.spec.containers[0].name FieldValueRequired",
      "spec.template.spec.containers[0].image FieldValueRequired",
      "spec.template.spec.restartPolicy FieldValueNotSupported",
    ]);
  });

  it("limits label-bearing names to 63-character DNS-1123 labels", () => {
    expect(paths(job({}, "a".repeat(64)))).toEqual(["metadata.name"]);
    expect(paths(job({}, "Bosun_Run"))).toEqual(["metadata.name"]);
    // ConfigMap names are DNS subdomains: dots and up to 253 characters are fine.
    expect(
      validateObject({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: `a.${"b".repeat(100)}` } }),
    ).toEqual([]);
    expect(
      paths({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "1web" },
        spec: { ports: [{ port: 1 }] },
      }),
    ).toEqual(["metadata.name"]);
  });

  it("checks label keys and values", () => {
    const o = job();
    o.metadata.labels = { "bad key": "v", "example.com/ok": "x".repeat(64) } as never;
    expect(paths(o)).toEqual(["metadata.labels", "metadata.labels[example.com/ok]"]);
  });

  it("requires a selector matching the template on Deployments", () => {
    const deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web" },
      spec: {
        selector: { matchLabels: { app: "other" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: { containers: [{ name: "web", image: "nginx" }] },
        },
      },
    };
    expect(paths(deployment)).toEqual(["spec.template.metadata.labels"]);
  });

  it("rejects volume mounts that name no volume", () => {
    expect(paths(job({ volumeMounts: [{ name: "missing", mountPath: "/data" }] }))).toEqual([
      "spec.template.spec.containers[0].volumeMounts[0].name",
    ]);
  });

  it("rejects unknown kinds and kinds at the wrong apiVersion", () => {
    expect(
      validateObject({ apiVersion: "v1", kind: "Deployment", metadata: { name: "x" } })[0]!.message,
    ).toContain("apps/v1");
    expect(validateObject({ apiVersion: "v1", kind: "Pdo", metadata: { name: "x" } })[0]!.message).toContain(
      "did you mean Pod?",
    );
  });

  it("validates each item of a List", () => {
    const list = { apiVersion: "v1", kind: "List", items: [job(), job({ imagePullPolicy: "Sometimes" })] };
    expect(paths(list)).toEqual(["items[1].spec.template.spec.containers[0].imagePullPolicy"]);
  });

  it("rejects quantities that do not parse and Secret data that is not base64", () => {
    expect(paths(job({ resources: { limits: { memory: "64 megs" } } }))).toEqual([
      "spec.template.spec.containers[0].resources.limits[memory]",
    ]);
    expect(
      paths({ apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: { k: "not base64!" } }),
    ).toEqual(["data[k]"]);
  });

  it("assertValidObject throws one error listing every issue", () => {
    expect(() => assertValidObject(job({ volume_mounts: [] }))).toThrow(InvalidObjectError);
    expect(() => assertValidObject(job({ volume_mounts: [] }))).toThrow(
      'Job "bosun-run-1" is invalid: spec.template.spec.containers[0].volume_mounts: unknown field; did you mean volumeMounts?',
    );
    expect(() => assertValidObject(job())).not.toThrow();
  });
});
