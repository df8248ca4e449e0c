/**
 * The charts' own values (what is not Bosun runtime config: images, pods, services, PostgreSQL,
 * ingress, code server deployments) as zod schemas. Kubernetes objects inside them are
 * placeholders (`kube("V1Probe")`) that the generator replaces with full Kubernetes definitions.
 */
import { ROLES } from "@bosun/core";
import { z } from "zod";
import type { KeySpelling } from "./kube-json-schema.ts";

/** Marks a Kubernetes object; `values-schema.ts` swaps it for a `$ref` to the model's definition. */
export function kube(model: string, spelling: KeySpelling = "camel", extra?: Record<string, "boolean">) {
  return z.record(z.string(), z.unknown()).meta({
    "x-kubernetes-model": model,
    "x-key-spelling": spelling,
    ...(extra ? { "x-extra": extra } : {}),
  });
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dnsLabel = (what: string) =>
  z
    .string()
    .max(63)
    .regex(
      DNS_LABEL,
      `${what}: lowercase letters, digits and '-', starting and ending with a letter or digit`,
    );
const resourceName = z.string().min(1).max(253);
const stringMap = z.record(z.string(), z.string());

export const imageSchema = z
  .strictObject({
    repository: z.string().min(1).describe("Image repository, e.g. docker.io/bosun/bosun"),
    tag: z
      .union([z.string(), z.number()])
      .nullable()
      .optional()
      .describe("Image tag; empty means the chart's appVersion"),
    pullPolicy: z.enum(["Always", "IfNotPresent", "Never"]).optional(),
  })
  .describe("Container image");

/** `env`: a list of Kubernetes EnvVar objects (used as they are) or a map kept in a ConfigMap. */
const envSchema = z
  .union([z.array(kube("V1EnvVar")), z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))])
  .describe("Environment: a list of EnvVar objects, or a map of name to value (kept in a ConfigMap)");

const probe = (description: string) => kube("V1Probe", "camel", { enabled: "boolean" }).describe(description);

/** The pod and container fields every Bosun workload shares. */
const podFields = {
  env: envSchema.optional(),
  envConfigMaps: z
    .array(resourceName)
    .optional()
    .describe("ConfigMaps whose keys become environment variables"),
  envSecrets: z.array(resourceName).optional().describe("Secrets whose keys become environment variables"),
  labels: stringMap.optional().describe("Labels on the pods"),
  annotations: stringMap.optional().describe("Annotations on the pods"),
  nodeSelector: stringMap.optional(),
  affinity: kube("V1Affinity").optional(),
  tolerations: z.array(kube("V1Toleration")).optional(),
  podSecurityContext: kube("V1PodSecurityContext").optional(),
  securityContext: kube("V1SecurityContext").optional().describe("Security context of the main container"),
  resources: kube("V1ResourceRequirements").optional(),
  volumes: z.array(kube("V1Volume")).optional(),
  volumeMounts: z.array(kube("V1VolumeMount")).optional(),
};

const controlPlaneFields = {
  image: imageSchema,
  deploymentLabels: stringMap.optional().describe("Labels on the Deployment object"),
  checkDbReadyInitContainer: z.boolean().describe("Wait for PostgreSQL in an init container"),
  readinessProbe: probe("Readiness probe; `enabled: false` removes it"),
  livenessProbe: probe("Liveness probe; `enabled: false` removes it"),
  startupProbe: probe("Startup probe; `enabled: false` removes it"),
  ...podFields,
};

const serverSchema = z.strictObject({
  host: z.string().min(1).describe("Host name of the code server (its Service)"),
  port: z.int().min(1).max(65535),
  name: z.string().min(1).optional().describe("Code location name; default: the host"),
});

export const webserverSchema = z.strictObject({
  replicaCount: z.int().min(0),
  containerPort: z.int().min(1).max(65535),
  service: z.strictObject({
    type: z.enum(["ClusterIP", "NodePort", "LoadBalancer"]),
    port: z.int().min(1).max(65535),
    annotations: stringMap.optional(),
  }),
  enableReadOnly: z.boolean().describe("Also deploy a read-only webserver"),
  workspace: z.strictObject({
    enabled: z.boolean(),
    servers: z.array(serverSchema),
    externalConfigmap: z.string().min(1).nullable().optional(),
  }),
  ...controlPlaneFields,
});

export function daemonSchema(sections: {
  runCoordinator: z.ZodType;
  runMonitoring: z.ZodType;
  scheduler: z.ZodType;
  sensors: z.ZodType;
}) {
  return z.strictObject({
    enabled: z.boolean(),
    highAvailability: z
      .strictObject({
        enabled: z.boolean().describe("Run several daemons; off: one, replaced with a Recreate strategy"),
        replicaCount: z.int().min(2),
      })
      .describe("Several daemons sharing the work through claims in the database"),
    runCoordinator: sections.runCoordinator,
    runMonitoring: sections.runMonitoring,
    scheduler: sections.scheduler,
    sensors: sections.sensors,
    ...controlPlaneFields,
  });
}

const ingressTarget = z.strictObject({
  host: z.string(),
  path: z.string().startsWith("/"),
  pathType: z.enum(["Prefix", "Exact", "ImplementationSpecific"]),
  tls: z.strictObject({ enabled: z.boolean(), secretName: z.string() }),
});

export const ingressSchema = z.strictObject({
  enabled: z.boolean(),
  ingressClassName: z.string().min(1).nullable().optional(),
  annotations: stringMap,
  labels: stringMap,
  webserver: ingressTarget,
  readOnlyWebserver: ingressTarget,
});

export const postgresqlSchema = z.strictObject({
  enabled: z.boolean().describe("Deploy PostgreSQL in the release; false: use postgresqlHost"),
  image: imageSchema,
  postgresqlHost: z.string().describe("Host of an external PostgreSQL (with enabled: false)"),
  postgresqlUsername: z.string().min(1),
  postgresqlPassword: z.string().describe("Password for the generated Secret; empty: a random one, kept"),
  postgresqlDatabase: z.string().min(1),
  postgresqlParams: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  service: z.strictObject({ port: z.int().min(1).max(65535) }),
  persistence: z.strictObject({
    enabled: z.boolean(),
    size: z.string().min(1),
    storageClass: z.string(),
    accessModes: z.array(z.enum(["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"])),
    keepOnUninstall: z.boolean().describe("Keep the volume (and the data) when the release is uninstalled"),
  }),
  resources: kube("V1ResourceRequirements").optional(),
  nodeSelector: stringMap.optional(),
  affinity: kube("V1Affinity").optional(),
  tolerations: z.array(kube("V1Toleration")).optional(),
  podSecurityContext: kube("V1PodSecurityContext").optional(),
  securityContext: kube("V1SecurityContext").optional(),
});

/** A key of an existing Secret; `existingSecret` empty means "none". */
const secretKeyRef = (description: string) =>
  z
    .strictObject({
      existingSecret: z.string().describe("Name of an existing Secret; empty: none"),
      key: z.string().min(1).describe("The key in that Secret"),
    })
    .describe(description);

/**
 * `auth`: who may call the webserver (docs/auth.md). Rendered into bosun.yaml's `auth` section, except
 * the secrets, which reach the webserver from Secrets through environment variables.
 */
export const authValuesSchema = z
  .strictObject({
    enabled: z.boolean().describe("Require a token or a signed-in session on every API call (default true)"),
    allowAnonymous: z
      .boolean()
      .describe(
        "INSECURE: with enabled false, serve the API to anyone who reaches it (--insecure-allow-anonymous); only behind another layer that guards access",
      ),
    bootstrapToken: secretKeyRef(
      "The first admin token (name bootstrap-admin): from this Secret, or with existingSecret empty generated once into <fullname>-bootstrap-token and kept across upgrades",
    ),
    oidc: z
      .strictObject({
        issuer: z.string().describe("The OpenID provider's issuer URL; empty: no sign-in, API tokens only"),
        clientId: z.string().describe("The client id registered at the provider"),
        clientSecret: secretKeyRef(
          "The Secret holding the client secret (given to the webserver as BOSUN_OIDC_CLIENT_SECRET)",
        ),
        scopes: z.array(z.string().min(1)).describe("Scopes asked for at sign-in; openid is always added"),
        usernameClaim: z.string().min(1).describe("ID token claim naming the user (audit log, sidebar)"),
      })
      .describe("Sign-in through OpenID Connect (authorization code flow with PKCE)"),
    roleMapping: z
      .array(
        z.strictObject({
          claim: z.string().min(1).optional().describe("Claim to read (default groups)"),
          value: z.string().min(1).describe("Claim value that gives the role"),
          role: z.enum(ROLES),
          location: z.string().min(1).optional().describe("Code location the role is limited to"),
        }),
      )
      .describe("Claim values that give roles; every match applies"),
    defaultRole: z
      .enum(["none", ...ROLES])
      .describe("Role of a signed-in user no mapping matches; none refuses sign-in"),
    session: z
      .strictObject({
        maxAgeHours: z.number().positive().max(720).describe("Hours a sign-in session lasts"),
        idleHours: z
          .number()
          .positive()
          .max(720)
          .describe("Hours without a request after which a session ends"),
      })
      .describe("Sign-in sessions"),
  })
  .describe("Who may call the webserver's API: tokens, OpenID Connect sign-in, roles (docs/auth.md)");

export const globalSchema = z.strictObject({
  postgresqlSecretName: z
    .string()
    .describe("Existing Secret with the database password (key postgresql-password)"),
  bosunHome: z.string().startsWith("/").describe("BOSUN_HOME in every Bosun container"),
  serviceAccountName: z.string().describe("Existing ServiceAccount for every Bosun pod"),
});

export const serviceAccountSchema = z.strictObject({
  create: z.boolean(),
  name: z.string(),
  annotations: stringMap,
});

/** One code server of the bosun-user-deployments chart. */
export const userDeploymentSchema = z.strictObject({
  name: dnsLabel("a code location name (also its Service's name)").describe(
    "Code location name; also the name of its Service, the host the webserver reaches it at",
  ),
  image: imageSchema,
  codeServerArgs: z
    .array(z.string())
    .min(1)
    .describe(
      'Arguments of `bosun api grpc` naming the code: ["-f", "/app/definitions.ts"] or ["-m", "@acme/pipelines"]',
    ),
  port: z.int().min(1).max(65535).optional().describe("gRPC port (default 4000)"),
  replicaCount: z.int().min(0).optional(),
  includeConfigInLaunchedRuns: z
    .strictObject({ enabled: z.boolean() })
    .optional()
    .describe("Pass this deployment's Kubernetes settings to its runs (default: enabled)"),
  service: z.strictObject({ annotations: stringMap.optional() }).optional(),
  readinessProbe: probe("gRPC health readiness probe (default on); `enabled: false` removes it").optional(),
  livenessProbe: probe("gRPC health liveness probe (default on); `enabled: false` removes it").optional(),
  startupProbe: probe("Startup probe (default off)").optional(),
  ...podFields,
});

export const userDeploymentsValuesSchema = z.strictObject({
  global: globalSchema.partial(),
  nameOverride: z.string(),
  fullnameOverride: z.string(),
  enableSubchart: z.boolean(),
  imagePullSecrets: z.array(kube("V1LocalObjectReference")),
  serviceAccount: serviceAccountSchema,
  podSecurityContext: kube("V1PodSecurityContext").describe(
    "Default pod security context of every code server",
  ),
  securityContext: kube("V1SecurityContext").describe(
    "Default container security context of every code server",
  ),
  deployments: z.array(userDeploymentSchema),
});
