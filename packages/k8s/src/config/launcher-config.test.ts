import { describe, expect, it } from "vitest";
import { firstIssue } from "../../test/config-errors.ts";
import { k8sClientSource } from "./client-source.ts";
import { K8sRunLauncherConfigSchema } from "./launcher-config.ts";
import { parseK8sConfig } from "./parse.ts";

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
    ).toMatchObject({
      path: "kubeconfig_file",
      detail: "cannot be combined with `load_incluster_config: true`; set one of the two",
    });
  });

  it("resolves the client source: in-cluster by default, a kubeconfig file when given or when in-cluster is off", () => {
    expect(k8sClientSource(parseK8sConfig(K8sRunLauncherConfigSchema, {}))).toEqual({ kind: "in-cluster" });
    expect(k8sClientSource(parseK8sConfig(K8sRunLauncherConfigSchema, { kubeconfigFile: "/k" }))).toEqual({
      kind: "kubeconfig",
      file: "/k",
    });
    expect(
      k8sClientSource(parseK8sConfig(K8sRunLauncherConfigSchema, { load_incluster_config: false })),
    ).toEqual({
      kind: "kubeconfig",
    });
  });

  it("rejects a negative TTL and a non-boolean fail_pod_on_run_failure", () => {
    expect(
      firstIssue(() => parseK8sConfig(K8sRunLauncherConfigSchema, { job_ttl_seconds_after_finished: -1 }))
        .detail,
    ).toBe("expected a number >= 0, got number -1");
    expect(
      firstIssue(() => parseK8sConfig(K8sRunLauncherConfigSchema, { fail_pod_on_run_failure: "yes" })).detail,
    ).toBe('expected true or false, got string "yes"');
  });

  it("rejects an unknown key nested in run_k8s_config with its full path", () => {
    expect(
      firstIssue(() =>
        parseK8sConfig(K8sRunLauncherConfigSchema, { runK8sConfig: { podSpecConfig: { nodeSelectr: {} } } }),
      ),
    ).toMatchObject({ path: "runK8sConfig.podSpecConfig.nodeSelectr", suggestion: "nodeSelector" });
  });
});
