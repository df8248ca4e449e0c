/**
 * The bosun chart rendered by the real `helm template` over a matrix of values: every object must
 * pass kube-sim's strict Kubernetes validation, and each configuration renders what it promises.
 */
import { validateObject } from "@bosun/kube-sim";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { fixture, MATRIX } from "./support/fixtures.ts";
import { BOSUN_CHART, helm, type KubeObject, type Rendered, render } from "./support/render.ts";

const POD_KINDS = new Set(["Deployment", "StatefulSet", "Job"]);

function podSpecs(rendered: Rendered): { owner: string; spec: KubeObject }[] {
  return rendered.objects
    .filter((object) => POD_KINDS.has(object.kind))
    .map((object) => ({ owner: `${object.kind}/${object.metadata.name}`, spec: object.spec.template.spec }));
}

describe("every configuration of the matrix", () => {
  for (const [name, values] of Object.entries(MATRIX)) {
    it(`renders only objects that pass strict Kubernetes validation: ${name}`, async () => {
      const rendered = await render(values);
      expect(rendered.objects.length).toBeGreaterThan(5);
      const problems = rendered.objects.flatMap((object) =>
        validateObject(object).map(
          (issue) => `${object.kind}/${object.metadata?.name}: ${issue.path}: ${issue.message}`,
        ),
      );
      expect(problems).toEqual([]);
    });

    it(`runs every container as a non-root user: ${name}`, async () => {
      const rendered = await render(values);
      for (const { owner, spec } of podSpecs(rendered)) {
        for (const container of [...(spec.initContainers ?? []), ...spec.containers]) {
          const runAsNonRoot = container.securityContext?.runAsNonRoot ?? spec.securityContext?.runAsNonRoot;
          expect(runAsNonRoot, `${owner} ${container.name}`).toBe(true);
          expect(container.securityContext?.allowPrivilegeEscalation, `${owner} ${container.name}`).toBe(
            false,
          );
        }
      }
    });
  }
});

describe("defaults", () => {
  it("deploys the webserver, daemon, PostgreSQL, one code server and their Services", async () => {
    const rendered = await render();
    expect(rendered.names("Deployment").sort()).toEqual([
      "demo-bosun-daemon",
      "demo-bosun-user-deployments-example-code",
      "demo-bosun-webserver",
    ]);
    expect(rendered.names("StatefulSet")).toEqual(["demo-bosun-postgresql"]);
    expect(rendered.names("Service").sort()).toEqual([
      "demo-bosun-postgresql",
      "demo-bosun-postgresql-headless",
      "demo-bosun-webserver",
      "example-code",
    ]);
    expect(rendered.names("Secret").sort()).toEqual([
      "demo-bosun-bootstrap-token",
      "demo-bosun-postgresql-secret",
    ]);
    expect(rendered.names("Ingress")).toEqual([]);
  });

  it("starts the webserver on port 3000 with the workspace, probing GET /api/health", async () => {
    const rendered = await render();
    const deployment = rendered.get("Deployment", "demo-bosun-webserver");
    expect(deployment.spec.replicas).toBe(1);
    const container = rendered.container("Deployment", "demo-bosun-webserver");
    expect(container.image).toBe("docker.io/bosun/bosun:0.1.0");
    expect(container.args).toEqual([
      "webserver",
      "-w",
      "/opt/bosun/workspace/workspace.yaml",
      "--host",
      "0.0.0.0",
      "--port",
      "3000",
    ]);
    expect(container.readinessProbe.httpGet).toEqual({ path: "/api/health", port: "http" });
    expect(container.livenessProbe.httpGet).toEqual({ path: "/api/health", port: "http" });
    expect(container.readinessProbe.enabled).toBeUndefined();
    expect(container.startupProbe).toBeUndefined();
    const service = rendered.get("Service", "demo-bosun-webserver");
    expect(service.spec.ports).toEqual([{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }]);
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
  });

  it("runs exactly one daemon, replaced with a Recreate strategy", async () => {
    const rendered = await render();
    const daemon = rendered.get("Deployment", "demo-bosun-daemon");
    expect(daemon.spec.replicas).toBe(1);
    expect(daemon.spec.strategy).toEqual({ type: "Recreate" });
    expect(rendered.container("Deployment", "demo-bosun-daemon").args).toEqual([
      "daemon",
      "run",
      "-w",
      "/opt/bosun/workspace/workspace.yaml",
    ]);
  });

  it("scales the daemon out with a rolling update only in high-availability mode", async () => {
    const rendered = await render({ daemon: { highAvailability: { enabled: true, replicaCount: 3 } } });
    const daemon = rendered.get("Deployment", "demo-bosun-daemon");
    expect(daemon.spec.replicas).toBe(3);
    expect(daemon.spec.strategy).toEqual({ type: "RollingUpdate" });
  });

  it("mounts bosun.yaml by subPath in BOSUN_HOME and the workspace as a directory", async () => {
    const rendered = await render();
    for (const name of ["demo-bosun-webserver", "demo-bosun-daemon"]) {
      const mounts = rendered.container("Deployment", name).volumeMounts;
      expect(mounts).toContainEqual({
        name: "bosun-instance-config",
        mountPath: "/opt/bosun/bosun_home/bosun.yaml",
        subPath: "bosun.yaml",
        readOnly: true,
      });
      expect(mounts).toContainEqual({ name: "workspace", mountPath: "/opt/bosun/workspace", readOnly: true });
      const volumes = rendered.get("Deployment", name).spec.template.spec.volumes;
      expect(volumes).toContainEqual({ name: "workspace", configMap: { name: "demo-bosun-workspace" } });
    }
  });

  it("gives the control plane the database password from the Secret, never from a ConfigMap", async () => {
    const password = "correct-horse-battery-staple";
    const rendered = await render({ postgresql: { postgresqlPassword: password } });
    const secret = rendered.get("Secret", "demo-bosun-postgresql-secret");
    expect(Buffer.from(secret.data["postgresql-password"], "base64").toString()).toBe(password);
    for (const name of ["demo-bosun-webserver", "demo-bosun-daemon"]) {
      expect(rendered.container("Deployment", name).env).toContainEqual({
        name: "BOSUN_PG_PASSWORD",
        valueFrom: { secretKeyRef: { name: "demo-bosun-postgresql-secret", key: "postgresql-password" } },
      });
    }
    for (const configMap of rendered.ofKind("ConfigMap")) {
      expect(JSON.stringify(configMap)).not.toContain(password);
    }
  });

  it("makes up a random password when none is given", async () => {
    const [first, second] = await Promise.all([render(), render()]);
    const read = (rendered: Rendered) =>
      Buffer.from(
        rendered.get("Secret", "demo-bosun-postgresql-secret").data["postgresql-password"],
        "base64",
      ).toString();
    expect(read(first)).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(read(first)).not.toBe(read(second));
  });

  it("runs PostgreSQL as a StatefulSet on a volume claim of the release, which uninstall deletes unless kept", async () => {
    const rendered = await render();
    const statefulSet = rendered.get("StatefulSet", "demo-bosun-postgresql");
    expect(statefulSet.spec.serviceName).toBe("demo-bosun-postgresql-headless");
    expect(statefulSet.spec.template.spec.volumes).toContainEqual({
      name: "data",
      persistentVolumeClaim: { claimName: "demo-bosun-postgresql-data" },
    });
    const claim = rendered.get("PersistentVolumeClaim", "demo-bosun-postgresql-data");
    expect(claim.spec.resources.requests.storage).toBe("8Gi");
    expect(claim.metadata.annotations).toBeUndefined();
    const kept = await render({ postgresql: { persistence: { keepOnUninstall: true } } });
    expect(kept.get("PersistentVolumeClaim", "demo-bosun-postgresql-data").metadata.annotations).toEqual({
      "helm.sh/resource-policy": "keep",
    });
    const container = rendered.container("StatefulSet", "demo-bosun-postgresql");
    expect(container.image).toBe("docker.io/library/postgres:16");
    expect(container.env).toContainEqual({
      name: "POSTGRES_PASSWORD",
      valueFrom: { secretKeyRef: { name: "demo-bosun-postgresql-secret", key: "postgresql-password" } },
    });
  });

  it("waits for the database in an init container, which can be turned off", async () => {
    const on = await render();
    const init = on.get("Deployment", "demo-bosun-webserver").spec.template.spec.initContainers;
    expect(init.map((container: KubeObject) => container.name)).toEqual(["wait-for-postgresql"]);
    expect(init[0].env).toContainEqual({ name: "PGHOST", value: "demo-bosun-postgresql" });
    const off = await render({
      webserver: { checkDbReadyInitContainer: false },
      daemon: { checkDbReadyInitContainer: false },
    });
    expect(off.get("Deployment", "demo-bosun-webserver").spec.template.spec.initContainers).toBeUndefined();
    expect(off.get("Deployment", "demo-bosun-daemon").spec.template.spec.initContainers).toBeUndefined();
  });

  it("grants the ServiceAccount exactly jobs, pods, pods/log and events in its namespace", async () => {
    const rendered = await render();
    const role = rendered.get("Role", "demo-bosun-role");
    expect(role.metadata.namespace).toBe("data");
    expect(role.rules).toEqual([
      { apiGroups: ["batch"], resources: ["jobs"], verbs: ["create", "delete", "get", "list", "watch"] },
      { apiGroups: ["batch"], resources: ["jobs/status"], verbs: ["get"] },
      { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] },
      { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
      { apiGroups: [""], resources: ["events"], verbs: ["get", "list", "watch"] },
    ]);
    const binding = rendered.get("RoleBinding", "demo-bosun-rolebinding");
    expect(binding.roleRef).toEqual({
      apiGroup: "rbac.authorization.k8s.io",
      kind: "Role",
      name: "demo-bosun-role",
    });
    expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "demo-bosun", namespace: "data" }]);
    expect(rendered.get("Deployment", "demo-bosun-webserver").spec.template.spec.serviceAccountName).toBe(
      "demo-bosun",
    );
    expect(rendered.names("ClusterRole")).toEqual([]);
  });

  it("migrates the schema in a hook Job just after an install with an in-chart database, and before upgrades", async () => {
    const rendered = await render();
    const job = rendered.get("Job", "demo-bosun-migrate");
    expect(job.metadata.annotations["helm.sh/hook"]).toBe("post-install,pre-upgrade");
    expect(job.spec.template.spec.containers[0].args).toEqual(["instance", "migrate"]);
    expect(job.spec.ttlSecondsAfterFinished).toBe(86400);
    const hookConfig = rendered.get("ConfigMap", "demo-bosun-migrate");
    expect(hookConfig.metadata.annotations["helm.sh/hook-weight"]).toBe("-10");
    expect(hookConfig.data["bosun.yaml"]).toBe(
      rendered.get("ConfigMap", "demo-bosun-instance").data["bosun.yaml"],
    );
  });

  it("prints how to reach the UI with a port-forward", async () => {
    // NOTES.txt is printed by install, not template; a client-side dry run shows it without a cluster.
    const { stdout } = await helm([
      "install",
      "demo",
      BOSUN_CHART,
      "--dry-run=client",
      "--namespace",
      "data",
    ]);
    expect(stdout).toContain("kubectl --namespace data port-forward service/demo-bosun-webserver 8080:80");
  });
});

describe("external PostgreSQL with an existing Secret", () => {
  it("deploys no database and no password Secret, and points everything at the external server and Secret", async () => {
    const rendered = await render(fixture("external-postgresql"));
    expect(rendered.names("StatefulSet")).toEqual([]);
    expect(rendered.names("Secret")).toEqual(["demo-bosun-bootstrap-token"]);
    expect(rendered.instanceConfig().storage).toEqual({
      postgres: {
        host: "db.internal.example.com",
        port: 6432,
        username: "bosun_app",
        database: "orchestration",
        password_env: "BOSUN_PG_PASSWORD",
        params: { sslmode: "require" },
      },
    });
    expect(rendered.container("Deployment", "demo-bosun-daemon").env).toContainEqual({
      name: "BOSUN_PG_PASSWORD",
      valueFrom: { secretKeyRef: { name: "bosun-db-credentials", key: "postgresql-password" } },
    });
    const init = rendered.get("Deployment", "demo-bosun-daemon").spec.template.spec.initContainers[0];
    expect(init.env).toContainEqual({ name: "PGHOST", value: "db.internal.example.com" });
    expect(init.env).toContainEqual({ name: "PGPORT", value: "6432" });
  });

  it("migrates before the install, since the database and its Secret already exist", async () => {
    const rendered = await render(fixture("external-postgresql"));
    const job = rendered.get("Job", "demo-bosun-migrate");
    expect(job.metadata.annotations["helm.sh/hook"]).toBe("pre-install,pre-upgrade");
    expect(job.spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(job.spec.template.spec.serviceAccountName).toBeUndefined();
  });
});

describe("subchart disabled with workspace.servers", () => {
  it("deploys no code server and lists the external servers in the workspace", async () => {
    const rendered = await render(fixture("separate-user-code"));
    expect(rendered.names("Deployment").sort()).toEqual(["demo-bosun-daemon", "demo-bosun-webserver"]);
    expect(rendered.names("Service")).not.toContain("sales-code");
    expect(YAML.parse(rendered.get("ConfigMap", "demo-bosun-workspace").data["workspace.yaml"])).toEqual({
      load_from: [
        { grpc_server: { host: "sales-code", port: 4000, location_name: "sales" } },
        {
          grpc_server: {
            host: "marketing-code.analytics.svc.cluster.local",
            port: 4100,
            location_name: "marketing-code.analytics.svc.cluster.local",
          },
        },
      ],
    });
  });

  it("reads an existing workspace ConfigMap instead when externalConfigmap names one", async () => {
    const rendered = await render({
      "bosun-user-deployments": { enableSubchart: false },
      webserver: { workspace: { enabled: true, externalConfigmap: "team-workspace" } },
    });
    expect(rendered.maybe("ConfigMap", "demo-bosun-workspace")).toBeUndefined();
    expect(rendered.get("Deployment", "demo-bosun-webserver").spec.template.spec.volumes).toContainEqual({
      name: "workspace",
      configMap: { name: "team-workspace" },
    });
  });
});

describe("runK8sConfig from the guide", () => {
  it("passes all five sections to the run launcher in bosun.yaml", async () => {
    const rendered = await render(fixture("seed-run-k8s-config"));
    const launcher = (rendered.instanceConfig().run_launcher as { k8s: Record<string, unknown> }).k8s;
    expect(launcher.run_k8s_config).toEqual({
      container_config: { resources: { limits: { cpu: "100m", memory: "128Mi" } } },
      pod_template_spec_metadata: { annotations: { mykey: "myvalue" } },
      pod_spec_config: { nodeSelector: { disktype: "ssd" } },
      job_spec_config: { ttlSecondsAfterFinished: 7200 },
      job_metadata: { annotations: { mykey: "myvalue" } },
    });
  });
});

describe("RBAC off", () => {
  it("creates no Role, RoleBinding or ServiceAccount and uses the named ServiceAccount", async () => {
    const rendered = await render(fixture("rbac-off"));
    expect(rendered.names("Role")).toEqual([]);
    expect(rendered.names("RoleBinding")).toEqual([]);
    expect(rendered.names("ServiceAccount")).toEqual(["demo-bosun-user-deployments"]);
    for (const name of ["demo-bosun-webserver", "demo-bosun-daemon"]) {
      expect(rendered.get("Deployment", name).spec.template.spec.serviceAccountName).toBe(
        "bosun-managed-elsewhere",
      );
    }
    const launcher = (rendered.instanceConfig().run_launcher as { k8s: Record<string, unknown> }).k8s;
    expect(launcher.service_account_name).toBe("bosun-managed-elsewhere");
  });

  it("gives run Jobs in another namespace their own Role there", async () => {
    const rendered = await render({ runLauncher: { config: { k8sRunLauncher: { jobNamespace: "runs" } } } });
    expect(rendered.ofKind("Role").map((role) => role.metadata.namespace)).toEqual(["data", "runs"]);
    const runsBinding = rendered
      .ofKind("RoleBinding")
      .find((binding) => binding.metadata.namespace === "runs");
    expect(runsBinding?.subjects).toEqual([
      { kind: "ServiceAccount", name: "demo-bosun", namespace: "data" },
    ]);
  });
});

describe("three webserver replicas plus read-only", () => {
  it("renders a read-only twin Deployment and Service with --read-only and its own component label", async () => {
    const rendered = await render(fixture("scaled-webserver"));
    expect(rendered.get("Deployment", "demo-bosun-webserver").spec.replicas).toBe(3);
    const twin = rendered.get("Deployment", "demo-bosun-webserver-read-only");
    expect(twin.spec.replicas).toBe(3);
    expect(twin.spec.template.spec.containers[0].args).toContain("--read-only");
    expect(rendered.container("Deployment", "demo-bosun-webserver").args).not.toContain("--read-only");
    expect(twin.spec.selector.matchLabels["app.kubernetes.io/component"]).toBe("webserver-read-only");
    const service = rendered.get("Service", "demo-bosun-webserver-read-only");
    expect(service.spec.selector["app.kubernetes.io/component"]).toBe("webserver-read-only");
  });
});

describe("ingress on", () => {
  it("routes each host to its webserver Service, with TLS where asked", async () => {
    const rendered = await render(fixture("ingress"));
    const ingress = rendered.get("Ingress", "demo-bosun-ingress");
    expect(ingress.spec.ingressClassName).toBe("nginx");
    expect(ingress.spec.tls).toEqual([{ hosts: ["bosun.example.com"], secretName: "bosun-tls" }]);
    expect(
      ingress.spec.rules.map((rule: KubeObject) => [rule.host, rule.http.paths[0].backend.service.name]),
    ).toEqual([
      ["bosun.example.com", "demo-bosun-webserver"],
      ["bosun-readonly.example.com", "demo-bosun-webserver-read-only"],
    ]);
  });
});
