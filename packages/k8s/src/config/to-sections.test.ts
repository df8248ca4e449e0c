import { describe, expect, it } from "vitest";
import { K8sEnvVarNotSetError } from "../errors.ts";
import { parseEnvVar, shortcutSections } from "./to-sections.ts";

describe("shortcutSections", () => {
  it("puts every shortcut field where the reference puts it", () => {
    expect(
      shortcutSections(
        {
          image_pull_policy: "Always",
          image_pull_secrets: [{ name: "pull" }],
          service_account_name: "runner",
          env_config_maps: ["cm1", "cm2"],
          env_secrets: ["s1"],
          env_vars: ["A=1", "B"],
          volume_mounts: [{ name: "v", mountPath: "/v" }],
          volumes: [{ name: "v", emptyDir: {} }],
          labels: { team: "data" },
          resources: { limits: { cpu: "1" } },
          security_context: { runAsNonRoot: true },
          scheduler_name: "custom",
          job_ttl_seconds_after_finished: 60,
        },
        { layer: "launcher", processEnv: { B: "from-process" }, target: "job" },
      ),
    ).toEqual({
      container_config: {
        imagePullPolicy: "Always",
        envFrom: [
          { configMapRef: { name: "cm1" } },
          { configMapRef: { name: "cm2" } },
          { secretRef: { name: "s1" } },
        ],
        env: [
          { name: "A", value: "1" },
          { name: "B", value: "from-process" },
        ],
        volumeMounts: [{ name: "v", mountPath: "/v" }],
        resources: { limits: { cpu: "1" } },
        securityContext: { runAsNonRoot: true },
      },
      pod_spec_config: {
        imagePullSecrets: [{ name: "pull" }],
        serviceAccountName: "runner",
        volumes: [{ name: "v", emptyDir: {} }],
        schedulerName: "custom",
      },
      pod_template_spec_metadata: { labels: { team: "data" } },
      job_metadata: { labels: { team: "data" } },
      job_spec_config: { ttlSecondsAfterFinished: 60 },
    });
  });

  it("puts labels on the Deployment and Service for code servers, and no Job sections", () => {
    expect(
      shortcutSections(
        { labels: { team: "data" }, job_ttl_seconds_after_finished: 5 },
        { layer: "x", processEnv: {}, target: "server" },
      ),
    ).toEqual({
      pod_template_spec_metadata: { labels: { team: "data" } },
      deployment_metadata: { labels: { team: "data" } },
      service_metadata: { labels: { team: "data" } },
    });
  });

  it("gives no sections for no fields", () => {
    expect(shortcutSections({}, { layer: "x", processEnv: {}, target: "job" })).toEqual({});
  });
});

describe("parseEnvVar", () => {
  it("splits KEY=VALUE at the first '=' and keeps an empty value", () => {
    expect(parseEnvVar("URL=a=b", {}, "l")).toEqual({ name: "URL", value: "a=b" });
    expect(parseEnvVar("EMPTY=", {}, "l")).toEqual({ name: "EMPTY", value: "" });
  });

  it("takes a bare KEY from the launching process, and fails naming the variable and layer when it is not set", () => {
    expect(parseEnvVar("HOME_DIR", { HOME_DIR: "/h" }, "l")).toEqual({ name: "HOME_DIR", value: "/h" });
    const attempt = () => parseEnvVar("MISSING_VAR", {}, "container_context");
    expect(attempt).toThrow(K8sEnvVarNotSetError);
    expect(attempt).toThrow("`env_vars` in container_context passes MISSING_VAR from the launching process");
  });
});
