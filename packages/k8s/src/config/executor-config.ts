/**
 * `k8sJobExecutor` config: runs each step of a run in its own Kubernetes Job. Its layers sit above
 * the launcher and code location for step pods only.
 */
import { z } from "zod";
import { checkClientSource, clientSourceShape } from "./client-source.ts";
import { containerFieldsShape, NamespaceSchema } from "./container-fields.ts";
import { RunK8sConfigSchema } from "./raw-config.ts";
import { bosunObject } from "./schema-building.ts";

/** zod schema of the k8sJobExecutor's config (`execution.config` of a run, or the executor's own). */
export const K8sJobExecutorConfigSchema = bosunObject(
  {
    ...containerFieldsShape,
    ...clientSourceShape,
    /** Namespace of step Jobs; default: the run's namespace. */
    job_namespace: NamespaceSchema.describe(
      "Namespace of step Jobs (default: the run's namespace).",
    ).optional(),
    /** Most step Jobs of one run that may exist at once. */
    max_concurrent: z
      .int()
      .min(1)
      .describe("Most step Jobs of one run running at the same time (default: no limit).")
      .optional(),
    /** Raw config for every step pod. */
    step_k8s_config: RunK8sConfigSchema.describe("Raw Kubernetes config for every step pod.").optional(),
    /** Raw config per op name, the most specific layer. */
    per_step_k8s_config: z
      .record(z.string(), RunK8sConfigSchema)
      .describe("Raw Kubernetes config for the step pods of one op, keyed by op name.")
      .optional(),
  },
  checkClientSource,
).describe("Config of the k8sJobExecutor.");
/** The k8sJobExecutor's config, parsed. */
export type K8sJobExecutorConfig = z.output<typeof K8sJobExecutorConfigSchema>;
