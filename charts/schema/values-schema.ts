/**
 * Builds the two charts' values.schema.json from zod: Bosun's runtime config schemas (the run
 * launcher's, the daemon's bosun.yaml sections) with camelCase keys, plus the charts' own values
 * (`values-model.ts`). Every object is closed (`additionalProperties: false`), Kubernetes objects
 * included, so a misspelt key anywhere fails `helm install` with the key's path.
 */

// The runtime's own schemas: one source of truth for what bosun.yaml and the Helm values accept.
import * as sections from "@bosun/instance";
import { K8sRunLauncherConfigSchema, k8sConfigJsonSchema } from "@bosun/k8s";
import { z } from "zod";
import { type KeySpelling, KubeDefinitions } from "./kube-json-schema.ts";
import {
  authValuesSchema,
  daemonSchema,
  globalSchema,
  ingressSchema,
  kube,
  postgresqlSchema,
  serviceAccountSchema,
  userDeploymentsValuesSchema,
  webserverSchema,
} from "./values-model.ts";

type JsonSchema = Record<string, unknown>;

/** Launcher fields the chart sets itself (from the release), so they are not values. */
export const CHART_MANAGED_LAUNCHER_FIELDS = [
  "instanceConfigMap",
  "postgresPasswordSecret",
  "bosunHome",
  "serverK8sConfig",
] as const;

const SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema";

function isObject(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Replaces every Kubernetes placeholder (`x-kubernetes-model`) with a `$ref` to its definition,
 * drops the `$schema` of embedded schemas, and closes every object that lists its properties.
 */
function finish(node: unknown, defs: KubeDefinitions, defaultSpelling: KeySpelling): unknown {
  if (Array.isArray(node)) return node.map((item) => finish(item, defs, defaultSpelling));
  if (!isObject(node)) return node;
  const model = node["x-kubernetes-model"];
  if (typeof model === "string") {
    const spelling = (node["x-key-spelling"] as KeySpelling | undefined) ?? defaultSpelling;
    const extra = node["x-extra"] as Record<string, string> | undefined;
    const description = typeof node.description === "string" ? { description: node.description } : {};
    const target = extra
      ? defs.extended(
          model,
          spelling,
          Object.fromEntries(Object.entries(extra).map(([key, type]) => [key, { type }])),
        )
      : defs.ref(model, spelling);
    return { ...target, ...description };
  }
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$schema") continue;
    if (key === "properties" && isObject(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, child]) => [name, finish(child, defs, defaultSpelling)]),
      );
    } else {
      out[key] = finish(value, defs, defaultSpelling);
    }
  }
  if (isObject(out.properties) && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/** zod → JSON Schema with Kubernetes placeholders left in (values-model.ts). */
function chartJson(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "throw" }) as JsonSchema;
}

/** A runtime schema with camelCase keys, as Helm values spell them. */
function camelJson(schema: z.ZodType): JsonSchema {
  return k8sConfigJsonSchema(schema, { keyCase: "camel" });
}

/** `runLauncher.config.k8sRunLauncher`: the K8sRunLauncher's config minus what the chart sets itself. */
function k8sRunLauncherJson(): JsonSchema {
  const json = camelJson(K8sRunLauncherConfigSchema);
  const properties = { ...(json.properties as JsonSchema) };
  for (const field of CHART_MANAGED_LAUNCHER_FIELDS) {
    if (!(field in properties)) throw new Error(`the K8sRunLauncher config has no field ${field} any more`);
    delete properties[field];
  }
  return {
    ...json,
    description:
      "Config of the K8sRunLauncher (run_launcher.k8s in bosun.yaml). The chart sets the instance ConfigMap, the password Secret and BOSUN_HOME itself.",
    properties,
  };
}

/** `runLauncher.config.defaultRunLauncher`: bosun.yaml's `run_launcher.default`. */
function defaultRunLauncherJson(runLauncher: z.ZodType): JsonSchema {
  const json = camelJson(runLauncher);
  const section = (json.properties as Record<string, JsonSchema> | undefined)?.default;
  if (!section) throw new Error("bosun.yaml's run_launcher section has no `default` launcher any more");
  return {
    ...section,
    description: "Config of the DefaultRunLauncher (run_launcher.default in bosun.yaml).",
  };
}

function userDeploymentsJson(defs: KubeDefinitions): JsonSchema {
  return finish(chartJson(userDeploymentsValuesSchema), defs, "camel") as JsonSchema;
}

/** values.schema.json of the `bosun-user-deployments` chart. */
export function userDeploymentsValuesJsonSchema(): JsonSchema {
  const defs = new KubeDefinitions();
  const body = userDeploymentsJson(defs);
  return {
    $schema: SCHEMA_DIALECT,
    title: "Values of the bosun-user-deployments chart",
    ...body,
    $defs: defs.all(),
  };
}

/** values.schema.json of the `bosun` chart (the subchart's values included under its key). */
export function bosunValuesJsonSchema(): JsonSchema {
  const defs = new KubeDefinitions();
  const placeholder = (name: string) => z.record(z.string(), z.unknown()).meta({ "x-runtime": name });
  const model = z.strictObject({
    global: globalSchema,
    nameOverride: z.string(),
    fullnameOverride: z.string(),
    imagePullSecrets: z.array(kube("V1LocalObjectReference")),
    serviceAccount: serviceAccountSchema,
    rbacEnabled: z.boolean().describe("Create a Role and RoleBinding for the run launcher and executor"),
    jobTtlSecondsAfterFinished: z
      .int()
      .min(0)
      .describe("Seconds a finished run, step or migration Job is kept before Kubernetes deletes it"),
    webserver: webserverSchema,
    daemon: daemonSchema({
      runCoordinator: placeholder("runCoordinator"),
      runMonitoring: placeholder("runMonitoring"),
      scheduler: placeholder("scheduler"),
      sensors: placeholder("sensors"),
    }),
    runLauncher: z.strictObject({
      type: z.enum(["K8sRunLauncher", "DefaultRunLauncher"]),
      env: z
        .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
        .describe("Environment of every run pod (the <fullname>-run-env ConfigMap)"),
      config: z.strictObject({
        k8sRunLauncher: placeholder("k8sRunLauncher"),
        defaultRunLauncher: placeholder("defaultRunLauncher"),
      }),
    }),
    postgresql: postgresqlSchema,
    generatePostgresqlPasswordSecret: z
      .boolean()
      .describe("Create the password Secret; false: use global.postgresqlSecretName"),
    migrate: z.strictObject({
      enabled: z.boolean(),
      resources: kube("V1ResourceRequirements").optional(),
      annotations: z.record(z.string(), z.string()).optional(),
    }),
    ingress: ingressSchema,
    auth: authValuesSchema,
    computeLogs: placeholder("computeLogs"),
    retention: placeholder("retention"),
    "bosun-user-deployments": placeholder("bosun-user-deployments"),
  });

  const runtime: Record<string, JsonSchema> = {
    runCoordinator: camelJson(sections.runCoordinatorSchema),
    runMonitoring: camelJson(sections.runMonitoringSchema),
    scheduler: camelJson(sections.schedulerSchema),
    sensors: camelJson(sections.sensorsSchema),
    computeLogs: {
      ...camelJson(sections.computeLogsSchema),
      description: "How steps' stdout and stderr are kept (compute_logs in bosun.yaml)",
    },
    retention: {
      ...camelJson(sections.retentionSchema),
      description: "What the daemon's retention loop deletes, and when (retention in bosun.yaml)",
    },
    k8sRunLauncher: k8sRunLauncherJson(),
    defaultRunLauncher: defaultRunLauncherJson(sections.runLauncherSchema),
  };
  // Inside the umbrella the subchart's keys are all optional: Helm fills them from its own values.yaml.
  const subchart = userDeploymentsJson(defs);
  runtime["bosun-user-deployments"] = { ...subchart, required: undefined };

  const withRuntime = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(withRuntime);
    if (!isObject(node)) return node;
    const name = node["x-runtime"];
    if (typeof name === "string") {
      const schema = runtime[name];
      if (!schema) throw new Error(`no runtime schema ${name}`);
      // Runtime config takes Kubernetes objects in either spelling, as Bosun does when it reads them.
      return finish(schema, defs, "any");
    }
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, withRuntime(value)]));
  };
  const body = finish(withRuntime(chartJson(model)), defs, "camel") as JsonSchema;
  return JSON.parse(
    JSON.stringify({
      $schema: SCHEMA_DIALECT,
      title: "Values of the bosun chart",
      ...body,
      $defs: defs.all(),
    }),
  ) as JsonSchema;
}

/** The files the generator writes, relative to `charts/`, with their contents. */
export function chartSchemaFiles(): Record<string, string> {
  const text = (schema: JsonSchema) => `${JSON.stringify(schema, null, 2)}\n`;
  return {
    "bosun/values.schema.json": text(bosunValuesJsonSchema()),
    "bosun/charts/bosun-user-deployments/values.schema.json": text(userDeploymentsValuesJsonSchema()),
  };
}
