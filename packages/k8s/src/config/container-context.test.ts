import { describe, expect, it } from "vitest";
import { firstIssue } from "../../test/config-errors.ts";
import { K8sContainerContextSchema } from "./container-context.ts";
import { parseK8sConfig } from "./parse.ts";

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
      volume_mounts: [
        {
          mount_path: "/opt/bosun/test_mount_path/volume_mounted_file.yaml",
          name: "test-volume",
          sub_path: "volume_mounted_file.yaml",
        },
      ],
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
      {
        mountPath: "/opt/bosun/test_mount_path/volume_mounted_file.yaml",
        name: "test-volume",
        subPath: "volume_mounted_file.yaml",
      },
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
    expect(firstIssue(() => parseK8sConfig(K8sContainerContextSchema, { envSecret: ["s"] })).suggestion).toBe(
      "envSecrets",
    );
  });

  it("rejects invalid names, env var specs, pull policies and labels", () => {
    expect(firstIssue(() => parseK8sConfig(K8sContainerContextSchema, { namespace: "My_NS" })).path).toBe(
      "namespace",
    );
    expect(firstIssue(() => parseK8sConfig(K8sContainerContextSchema, { env_vars: ["=x"] })).detail).toBe(
      "expected KEY=VALUE or KEY (KEY of letters, digits, '_', '-', '.', not starting with a digit)",
    );
    expect(
      firstIssue(() => parseK8sConfig(K8sContainerContextSchema, { image_pull_policy: "always" })).detail,
    ).toBe('expected one of Always, IfNotPresent, Never, got string "always"');
    expect(
      firstIssue(() => parseK8sConfig(K8sContainerContextSchema, { labels: { team: "data team" } })).path,
    ).toBe("labels.team");
    expect(
      firstIssue(() => parseK8sConfig(K8sContainerContextSchema, { env_secrets: ["Bad_Name"] })).path,
    ).toBe("env_secrets[0]");
  });

  it("rejects launcher-only fields", () => {
    expect(firstIssue(() => parseK8sConfig(K8sContainerContextSchema, { job_namespace: "x" })).path).toBe(
      "job_namespace",
    );
  });
});
