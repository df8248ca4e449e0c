/**
 * `K8sRunLauncher` config (the instance's `run_launcher.config` in bosun.yaml, or the Helm chart's
 * `runLauncher.config.k8sRunLauncher`): the lowest layer for every run and step pod.
 */
import { z } from "zod";
import { checkClientSource, clientSourceShape } from "./client-source.ts";
import {
  containerFieldsShape,
  NamespaceSchema,
  runK8sConfigField,
  serverK8sConfigField,
} from "./container-fields.ts";
import { bosunObject } from "./schema-building.ts";

/** Default `BOSUN_HOME` inside run and step pods. */
export const DEFAULT_BOSUN_HOME = "/opt/bosun/bosun_home";

/** zod schema of the K8sRunLauncher's config (`run_launcher.k8s` in `bosun.yaml`). */
export const K8sRunLauncherConfigSchema = bosunObject(
  {
    ...containerFieldsShape,
    ...clientSourceShape,
    /** Namespace of run Jobs unless the code location sets `namespace`. */
    job_namespace: NamespaceSchema.describe(
      "Namespace of run Jobs when the code location sets none.",
    ).default("default"),
    /** ConfigMap holding the instance's bosun.yaml (key `bosun.yaml`), mounted into BOSUN_HOME of every pod. */
    instance_config_map: z
      .string()
      .min(1)
      .describe(
        "ConfigMap with the instance config under the key bosun.yaml; mounted as $BOSUN_HOME/bosun.yaml in run and step pods.",
      )
      .optional(),
    /** Secret whose key `postgresql-password` becomes `BOSUN_PG_PASSWORD` in every pod. */
    postgres_password_secret: z
      .string()
      .min(1)
      .describe(
        "Secret holding the database password under the key postgresql-password; exposed as BOSUN_PG_PASSWORD.",
      )
      .optional(),
    /** BOSUN_HOME inside pods. */
    bosun_home: z
      .string()
      .min(1)
      .describe("BOSUN_HOME inside run and step pods.")
      .default(DEFAULT_BOSUN_HOME),
    /** Make the run worker exit non-zero when the run fails, so the pod and Job show as failed. */
    fail_pod_on_run_failure: z
      .boolean()
      .describe("Exit the run worker non-zero when the run fails, so the pod and Job fail too.")
      .default(false),
    /** Shortcut for `run_k8s_config.job_spec_config.ttlSecondsAfterFinished` (default 86400). */
    job_ttl_seconds_after_finished: z
      .int()
      .min(0)
      .describe("Seconds a finished Job is kept before Kubernetes deletes it (default 86400).")
      .optional(),
    /** Raw config for every run pod. */
    run_k8s_config: runK8sConfigField(),
    /** Raw config for every code server the launcher's deployment manages. */
    server_k8s_config: serverK8sConfigField(),
  },
  checkClientSource,
).describe("Config of the K8sRunLauncher.");
/** The K8sRunLauncher's config, parsed. */
export type K8sRunLauncherConfig = z.output<typeof K8sRunLauncherConfigSchema>;
