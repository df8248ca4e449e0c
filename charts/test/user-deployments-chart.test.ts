/**
 * The bosun-user-deployments chart installed on its own, names within Kubernetes' limits, and the
 * checksum annotations that roll pods when their config changes.
 */
import { validateObject } from "@bosun/kube-sim";
import { describe, expect, it } from "vitest";
import { type KubeObject, render, USER_DEPLOYMENTS_CHART } from "./support/render.ts";

const sales = {
  name: "sales",
  image: { repository: "acme/sales", tag: 142, pullPolicy: "IfNotPresent" },
  codeServerArgs: ["-m", "@acme/sales"],
  port: 4100,
  replicaCount: 2,
  labels: { team: "sales" },
  annotations: { "prometheus.io/scrape": "true" },
  readinessProbe: { periodSeconds: 5 },
  livenessProbe: { enabled: false },
  startupProbe: { failureThreshold: 30, periodSeconds: 2 },
};

describe("the bosun-user-deployments chart on its own", () => {
  it("renders one valid Deployment and one Service named after each code server", async () => {
    const rendered = await render(
      {
        deployments: [
          sales,
          { name: "ops", image: { repository: "acme/ops" }, codeServerArgs: ["-f", "/ops.ts"] },
        ],
      },
      { chart: USER_DEPLOYMENTS_CHART, release: "code" },
    );
    const problems = rendered.objects.flatMap((object) =>
      validateObject(object).map(
        (issue) => `${object.kind}/${object.metadata?.name}: ${issue.path}: ${issue.message}`,
      ),
    );
    expect(problems).toEqual([]);
    expect(rendered.names("Deployment")).toEqual([
      "code-bosun-user-deployments-sales",
      "code-bosun-user-deployments-ops",
    ]);
    expect(rendered.names("Service")).toEqual(["sales", "ops"]);
    const service = rendered.get("Service", "sales");
    expect(service.spec.ports).toEqual([
      { name: "grpc", port: 4100, targetPort: "grpc", protocol: "TCP", appProtocol: "grpc" },
    ]);
    expect(service.spec.selector).toEqual(
      rendered.get("Deployment", "code-bosun-user-deployments-sales").spec.selector.matchLabels,
    );
  });

  it("starts bosun api grpc with the code, port and location name, probing the gRPC health service", async () => {
    const rendered = await render(
      { deployments: [sales] },
      { chart: USER_DEPLOYMENTS_CHART, release: "code" },
    );
    const deployment = rendered.get("Deployment", "code-bosun-user-deployments-sales");
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.metadata.labels.team).toBe("sales");
    expect(deployment.spec.template.metadata.annotations["prometheus.io/scrape"]).toBe("true");
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toBe("acme/sales:142");
    expect(container.args).toEqual([
      "api",
      "grpc",
      "-m",
      "@acme/sales",
      "--host",
      "0.0.0.0",
      "--port",
      "4100",
      "--location-name",
      "sales",
    ]);
    expect(container.readinessProbe).toEqual({ periodSeconds: 5, grpc: { port: 4100 } });
    expect(container.livenessProbe).toBeUndefined();
    expect(container.startupProbe).toEqual({ failureThreshold: 30, periodSeconds: 2, grpc: { port: 4100 } });
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(deployment.spec.template.spec.automountServiceAccountToken).toBe(false);
  });

  it("defaults image tags to the chart's appVersion", async () => {
    const rendered = await render(
      {
        deployments: [{ name: "ops", image: { repository: "acme/ops" }, codeServerArgs: ["-f", "/ops.ts"] }],
      },
      { chart: USER_DEPLOYMENTS_CHART },
    );
    expect(rendered.container("Deployment", "demo-bosun-user-deployments-ops").image).toBe("acme/ops:0.1.0");
  });
});

describe("object names", () => {
  it("stay within 63 characters and keep their suffixes for a very long release name", async () => {
    // Helm allows release names of up to 53 characters; `<release>-bosun-webserver-read-only` is 78.
    const release = "a-release-name-that-is-much-longer-than-anyone-types";
    expect(release).toHaveLength(52);
    const rendered = await render(
      {
        "bosun-user-deployments": {
          deployments: [
            { name: "sales", image: { repository: "acme/sales" }, codeServerArgs: ["-f", "/a.ts"] },
          ],
        },
        webserver: { enableReadOnly: true },
      },
      { release },
    );
    const names = rendered.objects.map((object) => object.metadata.name as string);
    for (const name of names) expect(name.length, name).toBeLessThanOrEqual(63);
    for (const suffix of [
      "-webserver",
      "-webserver-read-only",
      "-daemon",
      "-instance",
      "-postgresql",
      "-sales",
    ]) {
      expect(
        names.some((name) => name.endsWith(suffix)),
        suffix,
      ).toBe(true);
    }
    // `<release>-bosun` cut to 53 characters (62 minus the suffix), then its trailing "-" trimmed.
    const webserver = rendered
      .ofKind("Deployment")
      .find((d: KubeObject) => d.metadata.name.endsWith("-webserver"));
    expect(webserver?.metadata.name).toBe("a-release-name-that-is-much-longer-than-anyone-types-webserver");
  });

  it("collapse to the release name when it already contains the chart name", async () => {
    const rendered = await render({}, { release: "bosun" });
    expect(rendered.names("Deployment")).toContain("bosun-webserver");
    expect(rendered.names("ConfigMap")).toContain("bosun-instance");
  });
});

describe("checksum annotations", () => {
  const annotations = (rendered: Awaited<ReturnType<typeof render>>, name: string) =>
    rendered.get("Deployment", name).spec.template.metadata.annotations as Record<string, string>;

  it("change on the webserver and daemon pods when an instance setting changes, and only then", async () => {
    const [before, changed, unrelated] = await Promise.all([
      render(),
      render({ daemon: { runCoordinator: { maxConcurrentRuns: 3 } } }),
      render({ webserver: { replicaCount: 2 } }),
    ]);
    for (const name of ["demo-bosun-webserver", "demo-bosun-daemon"]) {
      expect(annotations(changed, name)["checksum/instance-config"]).not.toBe(
        annotations(before, name)["checksum/instance-config"],
      );
      expect(annotations(unrelated, name)["checksum/instance-config"]).toBe(
        annotations(before, name)["checksum/instance-config"],
      );
    }
  });

  it("change on a code server's pods when its values change", async () => {
    const deployment = {
      name: "sales",
      image: { repository: "acme/sales" },
      codeServerArgs: ["-f", "/a.ts"],
    };
    const [before, after] = await Promise.all([
      render({ "bosun-user-deployments": { deployments: [deployment] } }),
      render({ "bosun-user-deployments": { deployments: [{ ...deployment, env: { REGION: "eu" } }] } }),
    ]);
    const name = "demo-bosun-user-deployments-sales";
    expect(annotations(after, name)["checksum/deployment"]).not.toBe(
      annotations(before, name)["checksum/deployment"],
    );
  });
});
