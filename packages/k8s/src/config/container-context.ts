/**
 * A code location's Kubernetes settings (`container_context.k8s` in a workspace or locations file):
 * applies to every run (and code server) of that location, above the instance's launcher config.
 */
import type { z } from "zod";
import {
  containerFieldsShape,
  NamespaceSchema,
  runK8sConfigField,
  serverK8sConfigField,
} from "./container-fields.ts";
import { bosunObject } from "./schema-building.ts";

/** zod schema of a code location's `container_context.k8s`. */
export const K8sContainerContextSchema = bosunObject({
  ...containerFieldsShape,
  /** Namespace for this location's run Jobs; above the launcher's `job_namespace`. */
  namespace: NamespaceSchema.describe(
    "Namespace of this location's run Jobs (overrides the launcher's job_namespace).",
  ).optional(),
  /** Raw config for this location's run (and step) pods. */
  run_k8s_config: runK8sConfigField(),
  /** Raw config for this location's code server. */
  server_k8s_config: serverK8sConfigField(),
}).describe("Kubernetes settings of one code location (container_context.k8s).");
/** A code location's Kubernetes settings, parsed. */
export type K8sContainerContext = z.output<typeof K8sContainerContextSchema>;
