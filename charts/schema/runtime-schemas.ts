/**
 * The runtime's own config schemas that the charts' values are made of: one source of truth for
 * what bosun.yaml accepts and what the Helm values accept.
 */
import * as bosun from "bosun";
import type { z } from "zod";

export { K8sRunLauncherConfigSchema } from "@bosun/k8s";

const REQUIRED = [
  "computeLogsSchema",
  "retentionSchema",
  "runCoordinatorSchema",
  "runLauncherSchema",
  "runMonitoringSchema",
  "schedulerSchema",
  "sensorsSchema",
] as const;

type RuntimeSchemas = Record<(typeof REQUIRED)[number], z.ZodType>;

/** The daemon's bosun.yaml sections and `compute_logs`, as zod schemas exported by the `bosun` package. */
export function daemonSectionSchemas(): RuntimeSchemas {
  const exported = bosun as unknown as Partial<RuntimeSchemas>;
  const missing = REQUIRED.filter((name) => exported[name] === undefined);
  if (missing.length > 0) {
    throw new Error(`the bosun package must export ${missing.join(", ")} (from src/instance/)`);
  }
  return exported as RuntimeSchemas;
}
