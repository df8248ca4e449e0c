/** @bosun/instance: an instance's bosun.yaml, parsed once, and the storage it opens. */

export {
  type ComputeLogSettings,
  ComputeLogsConfigError,
  computeLogsSchema,
  DEFAULT_COMPUTE_LOG_SETTINGS,
  parseComputeLogSettings,
} from "./compute-logs-config.ts";
export {
  DaemonConfigError,
  type DaemonSettings,
  parseDaemonSettings,
  runCoordinatorSchema,
  runLauncherSchema,
  runMonitoringSchema,
  schedulerSchema,
  sensorsSchema,
  type TagConcurrencyLimit,
} from "./daemon-config.ts";
export { type Instance, openInstance, readInstanceConfig } from "./instance.ts";
export { type RetentionSettings, retentionSchema, type TickRetention } from "./retention-config.ts";
