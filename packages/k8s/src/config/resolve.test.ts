import { describe, expect, it } from "vitest";
import { K8sConfigError } from "../errors.ts";
import { K8sContainerContextSchema } from "./container-context.ts";
import { K8sJobExecutorConfigSchema } from "./executor-config.ts";
import { K8sRunLauncherConfigSchema } from "./launcher-config.ts";
import { parseK8sConfig } from "./parse.ts";
import {
  explainRunK8sConfig,
  explainStepK8sConfig,
  LAYER,
  resolveRunK8sConfig,
  resolveServerK8sConfig,
  resolveStepK8sConfig,
} from "./resolve.ts";

const launcher = (input: unknown) => parseK8sConfig(K8sRunLauncherConfigSchema, input);
const location = (input: unknown) => parseK8sConfig(K8sContainerContextSchema, input);
const executor = (input: unknown) => parseK8sConfig(K8sJobExecutorConfigSchema, input);
const tag = (config: unknown) => ({ "bosun-k8s/config": config });
const cpu = (value: string) => ({ resources: { limits: { cpu: value } } });

describe("run pod precedence", () => {
  // Each scope sets the same field; the most specific one present must win.
  const scopes = {
    launcher: { resources: { limits: { cpu: "1" } } },
    launcherRun: { run_k8s_config: { container_config: cpu("2") } },
    location: { resources: { limits: { cpu: "3" } } },
    locationRun: { run_k8s_config: { container_config: cpu("4") } },
    jobTag: { container_config: cpu("5") },
  };

  it("launcher < launcher.run_k8s_config < container_context < container_context.run_k8s_config < job tag", () => {
    const full = resolveRunK8sConfig({
      launcher: launcher({ ...scopes.launcher, ...scopes.launcherRun }),
      containerContext: location({ ...scopes.location, ...scopes.locationRun }),
      jobTags: tag(scopes.jobTag),
    });
    expect(full.sections.container_config).toEqual(cpu("5"));
    const noTag = resolveRunK8sConfig({
      launcher: launcher({ ...scopes.launcher, ...scopes.launcherRun }),
      containerContext: location({ ...scopes.location, ...scopes.locationRun }),
    });
    expect(noTag.sections.container_config).toEqual(cpu("4"));
    const noLocationRaw = resolveRunK8sConfig({
      launcher: launcher({ ...scopes.launcher, ...scopes.launcherRun }),
      containerContext: location(scopes.location),
    });
    expect(noLocationRaw.sections.container_config).toEqual(cpu("3"));
    const launcherOnly = resolveRunK8sConfig({
      launcher: launcher({ ...scopes.launcher, ...scopes.launcherRun }),
    });
    expect(launcherOnly.sections.container_config).toEqual(cpu("2"));
    expect(resolveRunK8sConfig({ launcher: launcher(scopes.launcher) }).sections.container_config).toEqual(
      cpu("1"),
    );
  });

  it("merges the seed's Helm config (camelCase) with a job tag (snake_case) onto the same keys", () => {
    const resolved = resolveRunK8sConfig({
      launcher: launcher({
        runK8sConfig: {
          podSpecConfig: {
            nodeSelector: { disktype: "ssd" },
            dnsPolicy: "ClusterFirst",
            imagePullSecrets: [{ name: "my-secret" }],
          },
        },
      }),
      jobTags: tag({
        pod_spec_config: {
          node_selector: { region: "east" },
          dns_policy: "Default",
          image_pull_secrets: [{ name: "another-secret" }],
        },
      }),
    });
    expect(resolved.sections.pod_spec_config).toEqual({
      nodeSelector: { disktype: "ssd", region: "east" },
      dnsPolicy: "Default",
      imagePullSecrets: [{ name: "my-secret" }, { name: "another-secret" }],
    });
  });

  it("applies a SHALLOW job tag as the seed describes", () => {
    const resolved = resolveRunK8sConfig({
      launcher: launcher({
        run_k8s_config: {
          pod_spec_config: {
            node_selector: { disktype: "ssd" },
            dns_policy: "ClusterFirst",
            image_pull_secrets: [{ name: "my-secret" }],
          },
        },
      }),
      jobTags: tag({
        pod_spec_config: {
          node_selector: { region: "east" },
          image_pull_secrets: [{ name: "another-secret" }],
        },
        merge_behavior: "SHALLOW",
      }),
    });
    expect(resolved.sections.pod_spec_config).toEqual({
      nodeSelector: { region: "east" },
      dnsPolicy: "ClusterFirst",
      imagePullSecrets: [{ name: "another-secret" }],
    });
  });

  it("keeps a code location's SHALLOW for run pods even when the job has no tag", () => {
    const resolved = resolveRunK8sConfig({
      launcher: launcher({ resources: { limits: { cpu: "1", memory: "1Gi" } } }),
      containerContext: location({
        run_k8s_config: {
          container_config: { resources: { requests: { cpu: "1" } } },
          merge_behavior: "SHALLOW",
        },
      }),
    });
    expect(resolved.sections.container_config).toEqual({ resources: { requests: { cpu: "1" } } });
  });

  it("applies a scope's merge_behavior to its shortcut fields too", () => {
    const resolved = resolveRunK8sConfig({
      launcher: launcher({ resources: { limits: { cpu: "1", memory: "1Gi" } } }),
      containerContext: location({
        resources: { limits: { cpu: "2" } },
        run_k8s_config: { merge_behavior: "SHALLOW" },
      }),
    });
    expect(resolved.sections.container_config).toEqual({ resources: { limits: { cpu: "2" } } });
  });

  it("appends env, envFrom, volumes and labels across scopes", () => {
    const resolved = resolveRunK8sConfig({
      launcher: launcher({
        env_vars: ["A=1"],
        env_secrets: ["shared"],
        volumes: [{ name: "a", emptyDir: {} }],
        labels: { tier: "base" },
      }),
      containerContext: location({
        env_vars: ["B=2"],
        env_config_maps: ["loc"],
        volumes: [{ name: "b", emptyDir: {} }],
        labels: { team: "x" },
      }),
      processEnv: {},
    });
    expect(resolved.sections).toEqual({
      container_config: {
        env: [
          { name: "A", value: "1" },
          { name: "B", value: "2" },
        ],
        envFrom: [{ secretRef: { name: "shared" } }, { configMapRef: { name: "loc" } }],
      },
      pod_spec_config: {
        volumes: [
          { name: "a", emptyDir: {} },
          { name: "b", emptyDir: {} },
        ],
      },
      pod_template_spec_metadata: { labels: { tier: "base", team: "x" } },
      job_metadata: { labels: { tier: "base", team: "x" } },
    });
  });

  it("takes the namespace from the code location, else the launcher's job_namespace", () => {
    expect(resolveRunK8sConfig({ launcher: launcher({ job_namespace: "runs" }) }).namespace).toBe("runs");
    expect(
      resolveRunK8sConfig({
        launcher: launcher({ job_namespace: "runs" }),
        containerContext: location({ namespace: "team-a" }),
      }).namespace,
    ).toBe("team-a");
    expect(resolveRunK8sConfig({}).namespace).toBe("default");
  });

  it("takes the image from container_config.image, else the code location, else the launcher", () => {
    const base = { launcher: launcher({ image: "launcher:1" }) };
    expect(resolveRunK8sConfig(base).image).toBe("launcher:1");
    expect(resolveRunK8sConfig({ ...base, containerContext: location({ image: "loc:1" }) }).image).toBe(
      "loc:1",
    );
    expect(
      resolveRunK8sConfig({
        launcher: launcher({ image: "launcher:1", run_k8s_config: { container_config: { image: "raw:1" } } }),
        containerContext: location({ image: "loc:1" }),
      }).image,
    ).toBe("raw:1");
    expect(resolveRunK8sConfig({}).image).toBeUndefined();
  });

  it("carries the launcher's instance settings", () => {
    expect(
      resolveRunK8sConfig({
        launcher: launcher({
          bosun_home: "/bh",
          postgres_password_secret: "pg",
          instance_config_map: "inst",
        }),
      }).instance,
    ).toEqual({ bosunHome: "/bh", postgresPasswordSecret: "pg", instanceConfigMap: "inst" });
    expect(resolveRunK8sConfig({}).instance).toEqual({ bosunHome: "/opt/bosun/bosun_home" });
  });

  it("lands the launcher's job_ttl_seconds_after_finished in job_spec_config, below a job tag", () => {
    const ttl = (tags?: Record<string, unknown>) =>
      resolveRunK8sConfig({
        launcher: launcher({ job_ttl_seconds_after_finished: 60 }),
        ...(tags ? { jobTags: tags } : {}),
      }).sections.job_spec_config;
    expect(ttl()).toEqual({ ttlSecondsAfterFinished: 60 });
    expect(ttl(tag({ job_spec_config: { ttl_seconds_after_finished: 7200 } }))).toEqual({
      ttlSecondsAfterFinished: 7200,
    });
  });

  it("names the job tag in errors from it", () => {
    expect(() => resolveRunK8sConfig({ jobTags: tag({ pod_spec_config: { node_selectr: {} } }) })).toThrow(
      new K8sConfigError(
        [
          {
            path: "pod_spec_config.node_selectr",
            expected: "a field of Kubernetes PodSpec",
            suggestion: "node_selector",
            detail: "unknown field; did you mean `node_selector`?",
          },
        ],
        "job tag bosun-k8s/config",
      ),
    );
  });

  it("lists the layers that contributed", () => {
    expect(
      resolveRunK8sConfig({
        launcher: launcher({ env_vars: ["A=1"] }),
        containerContext: location({}),
        jobTags: tag({ container_config: {} }),
      }).layers,
    ).toEqual([LAYER.launcher, LAYER.jobTag]);
  });
});

describe("step pod precedence", () => {
  const allScopes = {
    launcher: launcher({ ...cpuField("1"), run_k8s_config: { container_config: cpu("2") } }),
    containerContext: location({ ...cpuField("3"), run_k8s_config: { container_config: cpu("4") } }),
    executor: executor({
      ...cpuField("5"),
      step_k8s_config: { container_config: cpu("6") },
      per_step_k8s_config: { total: { container_config: cpu("8") } },
    }),
    opTags: tag({ container_config: cpu("7") }),
  };

  function cpuField(value: string) {
    return { resources: { limits: { cpu: value } } };
  }

  it("per_step_k8s_config[op] beats the op tag, which beats step_k8s_config, executor fields and the code location", () => {
    expect(resolveStepK8sConfig({ ...allScopes, opName: "total" }).sections.container_config).toEqual(
      cpu("8"),
    );
    expect(resolveStepK8sConfig({ ...allScopes, opName: "other" }).sections.container_config).toEqual(
      cpu("7"),
    );
    const { opTags: _opTags, ...withoutTag } = allScopes;
    expect(resolveStepK8sConfig({ ...withoutTag, opName: "other" }).sections.container_config).toEqual(
      cpu("6"),
    );
    expect(
      resolveStepK8sConfig({ ...withoutTag, executor: executor(cpuField("5")), opName: "other" }).sections
        .container_config,
    ).toEqual(cpu("5"));
    expect(
      resolveStepK8sConfig({
        launcher: allScopes.launcher,
        containerContext: allScopes.containerContext,
        opName: "x",
      }).sections.container_config,
    ).toEqual(cpu("4"));
  });

  it("does not take a job-level tag (there is no input for it) while the run pod does", () => {
    const jobTags = tag({ pod_spec_config: { node_selector: { pool: "job" } } });
    const run = resolveRunK8sConfig({ launcher: allScopes.launcher, jobTags });
    const step = resolveStepK8sConfig({
      launcher: allScopes.launcher,
      opName: "total",
      ...({ jobTags } as object),
    });
    expect(run.sections.pod_spec_config).toEqual({ nodeSelector: { pool: "job" } });
    expect(step.sections.pod_spec_config).toBeUndefined();
  });

  it("reproduces the seed's step example: step_k8s_config requests on every step", () => {
    const resolved = resolveStepK8sConfig({
      executor: executor({
        step_k8s_config: { container_config: { resources: { requests: { cpu: "200m", memory: "32Mi" } } } },
      }),
      opName: "my_op",
    });
    expect(resolved.sections.container_config).toEqual({
      resources: { requests: { cpu: "200m", memory: "32Mi" } },
    });
  });

  it("takes the namespace from the executor, else the code location, else the launcher", () => {
    const scopes = {
      launcher: launcher({ job_namespace: "l" }),
      containerContext: location({ namespace: "c" }),
      opName: "x",
    };
    expect(resolveStepK8sConfig(scopes).namespace).toBe("c");
    expect(resolveStepK8sConfig({ ...scopes, executor: executor({ job_namespace: "e" }) }).namespace).toBe(
      "e",
    );
  });

  it("takes the image from container_config.image, else the code location, else the executor, else the launcher", () => {
    const l = launcher({ image: "l:1" });
    expect(resolveStepK8sConfig({ launcher: l, opName: "x" }).image).toBe("l:1");
    expect(
      resolveStepK8sConfig({ launcher: l, executor: executor({ image: "e:1" }), opName: "x" }).image,
    ).toBe("e:1");
    expect(
      resolveStepK8sConfig({
        launcher: l,
        executor: executor({ image: "e:1" }),
        containerContext: location({ image: "c:1" }),
        opName: "x",
      }).image,
    ).toBe("c:1");
    expect(
      resolveStepK8sConfig({
        launcher: l,
        containerContext: location({ image: "c:1" }),
        opTags: tag({ container_config: { image: "op:1" } }),
        opName: "x",
      }).image,
    ).toBe("op:1");
  });

  it("explains which layer set every field, the namespace and the image", () => {
    const explained = explainStepK8sConfig({
      launcher: launcher({ image: "l:1", env_vars: ["A=1"] }),
      containerContext: location({ namespace: "team" }),
      executor: executor({ step_k8s_config: { pod_spec_config: { node_selector: { pool: "steps" } } } }),
      opTags: tag({ container_config: cpu("7") }),
      opName: "total",
    });
    expect(explained.origins).toEqual([
      { path: "namespace", value: "team", layer: "container_context" },
      { path: "image", value: "l:1", layer: "launcher" },
      { path: "container_config.env[0]", value: { name: "A", value: "1" }, layer: "launcher" },
      { path: "container_config.resources.limits.cpu", value: "7", layer: "op tag bosun-k8s/config" },
      { path: "pod_spec_config.nodeSelector.pool", value: "steps", layer: "executor.step_k8s_config" },
    ]);
  });

  it("explains a run pod with the same layer names", () => {
    const explained = explainRunK8sConfig({
      launcher: launcher({ run_k8s_config: { job_spec_config: { backoff_limit: 1 } } }),
      jobTags: tag({ job_spec_config: { backoffLimit: 2 } }),
    });
    expect(explained.origins).toEqual([
      { path: "namespace", value: "default", layer: "launcher" },
      { path: "job_spec_config.backoffLimit", value: 2, layer: "job tag bosun-k8s/config" },
    ]);
  });

  it("lists what each more specific scope overrode: the launcher's image and namespace, a field of its raw config", () => {
    const explained = explainRunK8sConfig({
      launcher: launcher({ image: "l:1", job_namespace: "data", ...cpu("1") }),
      containerContext: location({ image: "loc:2", namespace: "team" }),
      jobTags: tag({ container_config: cpu("3") }),
    });
    expect(explained.overrides).toEqual([
      { path: "namespace", value: "data", layer: "launcher", by: "container_context" },
      { path: "image", value: "l:1", layer: "launcher", by: "container_context" },
      {
        path: "container_config.resources.limits.cpu",
        value: "1",
        layer: "launcher",
        by: "job tag bosun-k8s/config",
      },
    ]);
  });
});

describe("code server config", () => {
  it("layers server_k8s_config over shortcut fields, with labels on the Deployment and Service", () => {
    const resolved = resolveServerK8sConfig({
      launcher: launcher({
        image: "l:1",
        server_k8s_config: { deployment_metadata: { annotations: { a: "1" } } },
      }),
      containerContext: location({
        labels: { team: "x" },
        server_k8s_config: {
          pod_spec_config: { node_selector: { disktype: "standard" } },
          service_metadata: { annotations: { b: "2" } },
        },
        run_k8s_config: { pod_spec_config: { node_selector: { disktype: "ssd" } } },
      }),
    });
    expect(resolved.sections).toEqual({
      deployment_metadata: { annotations: { a: "1" }, labels: { team: "x" } },
      pod_template_spec_metadata: { labels: { team: "x" } },
      service_metadata: { labels: { team: "x" }, annotations: { b: "2" } },
      pod_spec_config: { nodeSelector: { disktype: "standard" } },
    });
    expect(resolved.image).toBe("l:1");
  });
});
