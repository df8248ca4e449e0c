/**
 * @bosun/instance: an instance's bosun.yaml, parsed once, and the storage it opens.
 *
 * May depend on: @bosun/core, @bosun/storage (LAYERS in .dependency-cruiser.cjs).
 * Each `//` heading is followed by a blank line: Biome then sorts exports within a section, not across.
 */

// Opening an instance

export {
  type Instance,
  type InstanceConfig,
  InstanceConfigError,
  openInstance,
  parseInstanceConfig,
  readInstanceConfig,
} from "./instance.ts";

// bosun.yaml: the daemon's sections (run coordinator, run launcher, run monitoring, scheduler, sensors)

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

// bosun.yaml: compute logs

export {
  type ComputeLogSettings,
  ComputeLogsConfigError,
  computeLogsSchema,
  DEFAULT_COMPUTE_LOG_SETTINGS,
  parseComputeLogSettings,
} from "./compute-logs-config.ts";

// bosun.yaml: retention

export { type RetentionSettings, retentionSchema, type TickRetention } from "./retention-config.ts";

// bosun.yaml: step queues

export {
  DEFAULT_NO_WORKER_TIMEOUT_SECONDS,
  DEFAULT_QUEUE_LEASE_SECONDS,
  parseQueueSettings,
  type QueueDefinition,
  type QueueSettings,
  QueuesConfigError,
  queueBackendSchema,
  UNLISTED_QUEUE,
} from "./queues-config.ts";

// bosun.yaml: auth (tokens, OpenID Connect sign-in, roles)

export {
  AUTH_DISABLED,
  AuthConfigError,
  type AuthSettings,
  authSchema,
  type OidcSettings,
  parseAuthSettings,
  type RoleMapping,
} from "./auth-config.ts";
