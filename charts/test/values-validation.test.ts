/**
 * Bad values stop `helm` before anything is rendered: misspelt keys through values.schema.json,
 * contradictory combinations through the chart's `fail` messages.
 */
import { describe, expect, it } from "vitest";
import { HelmError, render, USER_DEPLOYMENTS_CHART } from "./support/render.ts";

async function helmError(values: unknown, options: Parameters<typeof render>[1] = {}): Promise<string> {
  try {
    await render(values, options);
  } catch (error) {
    if (error instanceof HelmError) return error.stderr;
    throw error;
  }
  throw new Error("helm rendered values that should have been rejected");
}

describe("the values schema", () => {
  it("rejects a misspelt top-level key of a component, naming where it is", async () => {
    const stderr = await helmError({ webserver: { replicaCont: 3 } });
    expect(stderr).toContain("values don't meet the specifications of the schema");
    expect(stderr).toContain("at '/webserver': additional properties 'replicaCont' not allowed");
  });

  it("rejects a misspelt key deep inside a Kubernetes object", async () => {
    const stderr = await helmError({ webserver: { tolerations: [{ key: "a", operater: "Exists" }] } });
    expect(stderr).toContain("at '/webserver/tolerations/0': additional properties 'operater' not allowed");
  });

  it("rejects a misspelt key inside runK8sConfig, which takes either key spelling", async () => {
    const ok = await render({
      runLauncher: {
        config: { k8sRunLauncher: { runK8sConfig: { podSpecConfig: { node_selector: { a: "b" } } } } },
      },
    });
    expect(ok.objects.length).toBeGreaterThan(0);
    const stderr = await helmError({
      runLauncher: {
        config: { k8sRunLauncher: { runK8sConfig: { podSpecConfig: { nodeSelectr: { a: "b" } } } } },
      },
    });
    expect(stderr).toContain(
      "at '/runLauncher/config/k8sRunLauncher/runK8sConfig/podSpecConfig': additional properties 'nodeSelectr' not allowed",
    );
  });

  it("rejects a misspelt run launcher field and a section the launcher does not know", async () => {
    expect(await helmError({ runLauncher: { config: { k8sRunLauncher: { jobNamspace: "x" } } } })).toContain(
      "additional properties 'jobNamspace' not allowed",
    );
    expect(
      await helmError({ runLauncher: { config: { k8sRunLauncher: { runK8sConfig: { stepConfig: {} } } } } }),
    ).toContain("additional properties 'stepConfig' not allowed");
  });

  it("rejects fields the chart sets itself in the launcher config", async () => {
    expect(
      await helmError({ runLauncher: { config: { k8sRunLauncher: { instanceConfigMap: "mine" } } } }),
    ).toContain("additional properties 'instanceConfigMap' not allowed");
  });

  it("rejects a misspelt daemon setting and a wrongly typed one", async () => {
    expect(await helmError({ daemon: { runCoordinator: { maxConcurentRuns: 2 } } })).toContain(
      "additional properties 'maxConcurentRuns' not allowed",
    );
    expect(await helmError({ daemon: { runCoordinator: { maxConcurrentRuns: "ten" } } })).toContain(
      "at '/daemon/runCoordinator/maxConcurrentRuns'",
    );
  });

  it("rejects a misspelt retention key, a wrong sensor status and a bad compute-log value", async () => {
    expect(await helmError({ retention: { runs: { purgeAfterDay: 30 } } })).toContain(
      "additional properties 'purgeAfterDay' not allowed",
    );
    expect(await helmError({ retention: { sensor: { purgeAfterDays: { skiped: 3 } } } })).toContain(
      "/retention/sensor/purgeAfterDays",
    );
    expect(await helmError({ computeLogs: { flushIntervalSeconds: "fast" } })).toContain(
      "at '/computeLogs/flushIntervalSeconds'",
    );
  });

  it("rejects a misspelt key of a code server, and a name that is not a DNS label", async () => {
    const deployment = {
      name: "sales",
      image: { repository: "acme/sales" },
      codeServerArgs: ["-f", "/a.ts"],
    };
    expect(
      await helmError({ "bosun-user-deployments": { deployments: [{ ...deployment, envSecret: ["x"] }] } }),
    ).toContain("at '/bosun-user-deployments/deployments/0': additional properties 'envSecret' not allowed");
    expect(
      await helmError({ "bosun-user-deployments": { deployments: [{ ...deployment, name: "Sales_Code" }] } }),
    ).toContain("at '/bosun-user-deployments/deployments/0/name'");
  });

  it("rejects a misspelt key in the subchart installed on its own", async () => {
    const stderr = await helmError(
      {
        deployments: [
          { name: "sales", image: { repository: "acme/sales" }, codeServerArgs: ["-f", "/a.ts"], por: 1 },
        ],
      },
      { chart: USER_DEPLOYMENTS_CHART },
    );
    expect(stderr).toContain("bosun-user-deployments:");
    expect(stderr).toContain("additional properties 'por' not allowed");
  });

  it("rejects an unknown run launcher type", async () => {
    expect(await helmError({ runLauncher: { type: "CeleryRunLauncher" } })).toContain(
      "at '/runLauncher/type'",
    );
  });
});

describe("contradictory values", () => {
  const cases: { name: string; values: unknown; message: string }[] = [
    {
      name: "an external PostgreSQL without a host",
      values: { postgresql: { enabled: false } },
      message: "postgresql.enabled is false (an external PostgreSQL) but postgresql.postgresqlHost is empty",
    },
    {
      name: "an external host while the chart deploys PostgreSQL",
      values: { postgresql: { postgresqlHost: "db.example.com" } },
      message:
        "postgresql.postgresqlHost (db.example.com) is for an external PostgreSQL, but postgresql.enabled is true",
    },
    {
      name: "both a generated and an existing password Secret",
      values: { global: { postgresqlSecretName: "mine" } },
      message:
        "global.postgresqlSecretName (mine) names an existing Secret, but generatePostgresqlPasswordSecret is true",
    },
    {
      name: "neither a generated nor an existing password Secret",
      values: { generatePostgresqlPasswordSecret: false },
      message: "generatePostgresqlPasswordSecret is false but global.postgresqlSecretName is empty",
    },
    {
      name: "a password that would be ignored",
      values: {
        generatePostgresqlPasswordSecret: false,
        global: { postgresqlSecretName: "mine" },
        postgresql: { postgresqlPassword: "x" },
      },
      message: "postgresql.postgresqlPassword is set but generatePostgresqlPasswordSecret is false",
    },
    {
      name: "workspace servers and an external workspace ConfigMap",
      values: {
        "bosun-user-deployments": { enableSubchart: false },
        webserver: {
          workspace: { enabled: true, servers: [{ host: "a", port: 1 }], externalConfigmap: "ws" },
        },
      },
      message:
        "webserver.workspace.servers and webserver.workspace.externalConfigmap both describe the workspace",
    },
    {
      name: "an enabled workspace with no servers",
      values: { webserver: { workspace: { enabled: true } } },
      message: "webserver.workspace.enabled is true but lists no servers",
    },
    {
      name: "two code locations with one name",
      values: {
        webserver: {
          workspace: { enabled: true, servers: [{ host: "x", port: 4000, name: "example-code" }] },
        },
      },
      message: "code location names must be unique, got example-code, example-code",
    },
    {
      name: "two code servers with one name",
      values: {
        "bosun-user-deployments": {
          deployments: [
            { name: "a", image: { repository: "r" }, codeServerArgs: ["-f", "/a.ts"] },
            { name: "a", image: { repository: "r" }, codeServerArgs: ["-f", "/b.ts"] },
          ],
        },
      },
      message: 'the name "a" is given twice',
    },
    {
      name: "in-cluster credentials and a kubeconfig file",
      values: { runLauncher: { config: { k8sRunLauncher: { kubeconfigFile: "/etc/kube/config" } } } },
      message: "loadInclusterConfig is true and kubeconfigFile is set",
    },
    {
      name: "no ServiceAccount to use",
      values: { serviceAccount: { create: false } },
      message: "serviceAccount.create is false but no ServiceAccount is named",
    },
    {
      name: "a daemon probe without a handler",
      values: { daemon: { livenessProbe: { enabled: true, periodSeconds: 10 } } },
      message: "daemon.livenessProbe is enabled but gives no handler",
    },
  ];
  for (const { name, values, message } of cases) {
    it(`fail rendering with a clear message: ${name}`, async () => {
      expect(await helmError(values)).toContain(message);
    });
  }
});
