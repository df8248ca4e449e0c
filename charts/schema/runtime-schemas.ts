/**
 * The runtime's own config schemas that the charts' values are made of: one source of truth for
 * what bosun.yaml accepts and what the Helm values accept.
 */
import {
  computeLogsSchema,
  retentionSchema,
  runCoordinatorSchema,
  runLauncherSchema,
  runMonitoringSchema,
  schedulerSchema,
  sensorsSchema,
} from "@bosun/instance";

export { K8sRunLauncherConfigSchema } from "@bosun/k8s";

/** The daemon's bosun.yaml sections and `compute_logs`, as zod schemas exported by `@bosun/instance`. */
export function daemonSectionSchemas() {
  return {
    computeLogsSchema,
    retentionSchema,
    runCoordinatorSchema,
    runLauncherSchema,
    runMonitoringSchema,
    schedulerSchema,
    sensorsSchema,
  };
}
