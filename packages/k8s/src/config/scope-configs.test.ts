import { describe, expect, it } from "vitest";
import { K8sConfigError } from "../errors.ts";
import { k8sClientSource } from "./client-source.ts";
import { K8sContainerContextSchema } from "./container-context.ts";
import { K8sJobExecutorConfigSchema } from "./executor-config.ts";
import { K8sRunLauncherConfigSchema } from "./launcher-config.ts";
import { parseK8sConfig } from "./parse.ts";

function firstIssue(run: () => unknown): { path: string; detail: string; suggestion?: string | undefined } {
  try {
    run();
  } catch (error) {
    if (error instanceof K8sConfigError) return error.issues[0]!;
    throw error;
  }
  throw new Error("expected a K8sConfigError");
}

describe("K8sContainerContextSchema", () => {
  it("parses the seeds' container_context.k8s example, in snake_case, canonicalising Kubernetes objects", () => {
    const parsed = parseK8sConfig(K8sContainerContextSchema, {
      env_config_maps: ["my-config-map"],
      env_secrets: ["my-secret"],
      env_vars: ["FOO_ENV_VAR=foo_value", "BAR_ENV_VAR"],
      image_pull_policy: "Always",
      image_pull_secrets: [{ name: "my-image-pull-secret" }],
      labels: { my_label_key: "my_label_value" },
      namespace: "my-k8s-namespace",
      service_account_name: "my-service-account-name",
      volume_mounts: [{ mount_path: "/opt/bosun/test_mount_path/volume_mounted_file.yaml", name: "test-volume", sub_path: "volume_mounted_file.yaml" }],
      volumes: [{ name: "test-volume", config_map: { name: "test-volume-configmap" } }],
      server_k8s_config: {
        pod_spec_config: { node_selector: { disktype: "standard" } },
        deployment_metadata: { annotations: { mykey: "myvalue" } },
        service_metadata: { annotations: { mykey: "myvalue" } },
        container_config: { resources: { limits: { cpu: "100m", memory: "128Mi" } } },
      },
      run_k8s_config: {
        pod_spec_config: { node_selector: { disktype: "ssd" } },
        job_spec_config: { ttl_seconds_after_finished: 7200 },
        job_metadata: { annotations: { mykey: "myvalue" } },
      },
    });
    expect(parsed.volume_mounts).toEqual([
      { mountPath: "/opt/bosun/test_mount_path/volume_mounted_file.yaml", name: "test-volume", subPath: "volume_mounted_file.yaml" },
    ]);
    expect(parsed.volumes).toEqual([{ name: "test-volume", configMap: { name: "test-volume-configmap" } }]);
    expect(parsed.server_k8s_config?.pod_spec_config).toEqual({ nodeSelector: { disktype: "standard" } });
    expect(parsed.run_k8s_config?.job_spec_config).toEqual({ ttlSecondsAfterFinished: 7200 });
    expect(parsed.labels).toEqual({ my_label_key: "my_label_value" });
  });

  it("accepts camelCase keys for Bosun's own fields (as Helm values write them)", () => {
    const parsed = parseK8sConfig(K8sContainerContextSchema, {
      envSecrets: ["s"],
      imagePullPolicy: "IfNotPresent",
      runK8sConfig: { podSpecConfig: { nodeSelector: { a: "b" } } },
    });
    expect(parsed).toEqual({
      env_secrets: ["s"],
      image_pull_policy: "IfNotPresent",
      run_k8s_config: { pod_spec_config: { nodeSelector: { a: "b" } }, merge_behavior: "DEEP" },
    });
  });

  it("rejects a misspelt field with a suggestion", () => {
    expect(firstIssue(() => parseK8sConfig(K8sContainerContextSchema, { env_secret: ["s"] }))).toMatchObject({
      path: "env_secret",
      suggestion: "env_secrets",
    });
    expect(firstIssue(() => parseK8sConfig(K8sContainerContextSchema, { envSecret: ["s"] })).suggestion).toBe("envSecrets");
  });

  it("rejects invalid names, env var specs, pull policies and labels", () => {
    expect(firstIssue(() => parseK8sConfig(K8sContainerContextSchema, { namespace: "My_NS" })).path).toBe("namespace");
    expect(firstIssue(() => parseK8sConfig(K8sContainerContextSchema, { env_vars: ["=x"] })).detail).toBe(
      "expected KEY=VALUE or KEY (KEY of letters, digits, '_', '-', '.', not starting with a digit)",
    );
    expect(firstIssue(() => parseK8sConfig(K8sContainerContextSchema, { image_pull_policy: "always" })).detail).toBe(
      'expected one of Always, IfNotPresent, Never, got string "always"',
    );
    expect(firstIssue(() => parseK8sConfig(K8sContainerContextSchema, { labels: { team: "data team" } })).path).toBe(
      "labels.team",
    );
    expect(firstIssue(() => parseK8sConfig(K8sContainerContextSchema, { env_secrets: ["Bad_Name"] })).path).toBe(
      "env_secrets[0]",
    );
  });

  it("rejects launcher-only fields", () => {
    expect(firstIssue(() => parseK8sConfig(K8sContainerContextSchema, { job_namespace: "x" })).path).toBe("job_namespace");
  });
});

describe("K8sRunLauncherConfigSchema", () => {
  it("fills defaults", () => {
    expect(parseK8sConfig(K8sRunLauncherConfigSchema, {})).toEqual({
      job_namespace: "default",
      bosun_home: "/opt/bosun/bosun_home",
      fail_pod_on_run_failure: false,
    });
  });

  it("rejects load_incluster_config: true together with kubeconfig_file", () => {
    expect(
      firstIssue(() =>
        parseK8sConfig(K8sRunLauncherConfigSchema, { load_incluster_config: true, kubeconfig_file: "/k" }),
      ),
    ).toMatchObject({ path: "kubeconfig_file", detail: "cannot be combined with `load_incluster_config: true`; set one of the two" });
  });

  it("resolves the client source: in-cluster by default, a kubeconfig file when given or when in-cluster is off", () => {
    expect(k8sClientSource(parseK8sConfig(K8sRunLauncherConfigSchema, {}))).toEqual({ kind: "in-cluster" });
    expect(k8sClientSource(parseK8sConfig(K8sRunLauncherConfigSchema, { kubeconfigFile: "/k" }))).toEqual({
      kind: "kubeconfig",
      file: "/k",
    });
    expect(k8sClientSource(parseK8sConfig(K8sRunLauncherConfigSchema, { load_incluster_config: false }))).toEqual({
      kind: "kubeconfig",
    });
  });

  it("rejects a negative TTL and a non-boolean fail_pod_on_run_failure", () => {
    expect(firstIssue(() => parseK8sConfig(K8sRunLauncherConfigSchema, { job_ttl_seconds_after_finished: -1 })).detail).toBe(
      "expected a number >= 0, got number -1",
    );
    expect(firstIssue(() => parseK8sConfig(K8sRunLauncherConfigSchema, { fail_pod_on_run_failure: "yes" })).detail).toBe(
      'expected true or false, got string "yes"',
    );
  });

  it("rejects an unknown key nested in run_k8s_config with its full path", () => {
    expect(
      firstIssue(() => parseK8sConfig(K8sRunLauncherConfigSchema, { runK8sConfig: { podSpecConfig: { nodeSelectr: {} } } })),
    ).toMatchObject({ path: "runK8sConfig.podSpecConfig.nodeSelectr", suggestion: "nodeSelector" });
  });
});

describe("K8sJobExecutorConfigSchema", () => {
  it("parses step_k8s_config and per_step_k8s_config keyed by op name, keeping op names as written", () => {
    const parsed = parseK8sConfig(K8sJobExecutorConfigSchema, {
      max_concurrent: 4,
      step_k8s_config: { container_config: { resources: { requests: { cpu: "200m", memory: "32Mi" } } } },
      per_step_k8s_config: { fetch_numbers: { container_config: { resources: { limits: { cpu: "1" } } } } },
    });
    expect(parsed.per_step_k8s_config).toEqual({
      fetch_numbers: { container_config: { resources: { limits: { cpu: "1" } } }, merge_behavior: "DEEP" },
    });
    expect(parsed.max_concurrent).toBe(4);
  });

  it("rejects max_concurrent below 1 and a bad per-step config with the op name in the path", () => {
    expect(firstIssue(() => parseK8sConfig(K8sJobExecutorConfigSchema, { max_concurrent: 0 })).path).toBe("max_concurrent");
    expect(
      firstIssue(() =>
        parseK8sConfig(K8sJobExecutorConfigSchema, { per_step_k8s_config: { my_op: { pod_spec_config: { tolerations: {} } } } }),
      ),
    ).toMatchObject({ path: "per_step_k8s_config.my_op.pod_spec_config.tolerations" });
  });
});
