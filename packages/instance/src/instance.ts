import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { nearest } from "@bosun/core";
import type { BosunStorage, DeploymentStorages } from "@bosun/storage";
import {
  bosunHome as defaultBosunHome,
  openStorage,
  parseOutageToleranceMs,
  parseStorageConfig,
  rideOutOutages,
  type StorageConfig,
} from "@bosun/storage";
import YAML from "yaml";
import { type AuthSettings, parseAuthSettings } from "./auth-config.ts";
import { type ComputeLogSettings, parseComputeLogSettings } from "./compute-logs-config.ts";
import { DAEMON_SECTION_KEYS, type DaemonSettings, parseDaemonSettings } from "./daemon-config.ts";
import { parseQueueSettings, type QueueSettings } from "./queues-config.ts";

/**
 * A Bosun instance: its home directory (`$BOSUN_HOME`, default `./.bosun`), its config file
 * (`$BOSUN_HOME/bosun.yaml`, optional) and its storage.
 */
export interface Instance {
  readonly home: string;
  readonly configPath: string | null;
  readonly storage: BosunStorage;
  /** The deployments registry, and each deployment's storage by name (`prod` is `storage`). */
  readonly deployments: DeploymentStorages;
  /** Environment for processes this one starts (run and step workers) so they reach the same storage and home. */
  readonly childEnv: Readonly<Record<string, string>>;
  /** The daemon's sections of `bosun.yaml` (run coordinator, launcher, monitoring, scheduler, sensors, retention), defaulted. */
  readonly daemon: DaemonSettings;
  /** `compute_logs` of `bosun.yaml`: how processes executing steps capture and store their output. */
  readonly computeLogs: ComputeLogSettings;
  /** `auth` of `bosun.yaml`: whether the webserver requires tokens or sign-in, and how roles are given. */
  readonly auth: AuthSettings;
  /** `queues` of `bosun.yaml`: the step queues of `queueExecutor()` and `bosun queue worker`. */
  readonly queues: QueueSettings;
  /** `storage.outage_tolerance_seconds` in ms: how long a worker waits out a database outage (default 120 s). */
  readonly outageToleranceMs: number;
  close(): Promise<void>;
}

/** A `bosun.yaml` that cannot be read, is not YAML, or has an unknown or invalid key (named with the nearest valid one). */
export class InstanceConfigError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = "InstanceConfigError";
  }
}

const INSTANCE_KEYS = ["storage", "compute_logs", "auth", "queues", ...DAEMON_SECTION_KEYS];

/** A `bosun.yaml` with every section validated (storage, daemon sections, compute logs, auth). */
export interface InstanceConfig {
  /** The file as written (sections not yet defaulted). */
  readonly raw: Readonly<Record<string, unknown>>;
  readonly storage: StorageConfig;
  readonly daemon: DaemonSettings;
  readonly computeLogs: ComputeLogSettings;
  readonly auth: AuthSettings;
  readonly queues: QueueSettings;
  /** `storage.outage_tolerance_seconds` in ms. */
  readonly outageToleranceMs: number;
}

/** Parses `bosun.yaml` text and checks its top-level keys; `file` names it in errors. */
function parseInstanceYaml(text: string, file: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = YAML.parse(text) ?? {};
  } catch (error) {
    throw new InstanceConfigError(file, `not valid YAML: ${(error as Error).message}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new InstanceConfigError(file, "expected a mapping at the top level");
  for (const key of Object.keys(raw)) {
    if (!INSTANCE_KEYS.includes(key)) {
      const suggestion = nearest(key, INSTANCE_KEYS);
      throw new InstanceConfigError(
        file,
        `${key}: unknown key (${suggestion ? `did you mean "${suggestion}"?` : `expected one of: ${INSTANCE_KEYS.join(", ")}`})`,
      );
    }
  }
  return raw as Record<string, unknown>;
}

/** Validates every section of a parsed `bosun.yaml`: the one set of rules for files on disk and rendered ones. */
function validateInstanceConfig(raw: Record<string, unknown>, file: string): InstanceConfig {
  try {
    return {
      raw,
      storage: parseStorageConfig(raw.storage),
      outageToleranceMs: parseOutageToleranceMs(raw.storage),
      daemon: parseDaemonSettings(raw),
      computeLogs: parseComputeLogSettings(raw),
      auth: parseAuthSettings(raw),
      queues: parseQueueSettings(raw),
    };
  } catch (error) {
    throw new InstanceConfigError(file, (error as Error).message);
  }
}

/** Reads `bosun.yaml` when there is one; every section is validated here, at the edge. */
export function readInstanceConfig(home: string): { path: string | null; raw: Record<string, unknown> } {
  const file = path.join(home, "bosun.yaml");
  if (!existsSync(file)) return { path: null, raw: {} };
  return { path: file, raw: parseInstanceYaml(readFileSync(file, "utf8"), file) };
}

/**
 * Parses and validates `bosun.yaml` text without opening anything: what `bosun k8s preview` checks a
 * given or Helm-rendered instance config with. Throws `InstanceConfigError` naming `file`, the key and,
 * for a misspelt key, the nearest valid one.
 *
 * @example
 * parseInstanceConfig("run_launcher:\n  k8s: {image: acme/app:1}\n", "bosun.yaml").daemon.runLauncher
 * // → { kind: "k8s", config: { image: "acme/app:1" } }
 */
export function parseInstanceConfig(text: string, file: string): InstanceConfig {
  return validateInstanceConfig(parseInstanceYaml(text, file), file);
}

/**
 * Opens the instance at `home` (default: the Bosun home of the environment): reads and parses its
 * `bosun.yaml` once and opens its storage.
 */
export async function openInstance(
  options: {
    readonly home?: string;
    readonly applicationName?: string;
    /**
     * For run and step workers: storage calls wait out a database outage of up to
     * `storage.outage_tolerance_seconds` (`rideOutOutages`) instead of failing at once. Servers leave it
     * off and answer 503 during an outage; the daemon's loops retry on their next pass.
     */
    readonly rideOutOutages?: boolean;
  } = {},
): Promise<Instance> {
  const home = path.resolve(options.home ?? defaultBosunHome());
  const config = readInstanceConfig(home);
  const {
    storage: storageConfig,
    daemon,
    computeLogs,
    auth,
    queues,
    outageToleranceMs,
  } = validateInstanceConfig(config.raw, config.path ?? path.join(home, "bosun.yaml"));
  const storage = await openStorage(storageConfig, {
    env: { ...process.env, BOSUN_HOME: home },
    ...(options.applicationName ? { applicationName: options.applicationName } : {}),
  });
  return {
    home,
    configPath: config.path,
    storage: options.rideOutOutages ? rideOutOutages(storage, { toleranceMs: outageToleranceMs }) : storage,
    deployments: storage,
    childEnv: { ...storage.childProcessEnv(), BOSUN_HOME: home },
    daemon,
    computeLogs,
    auth,
    queues,
    outageToleranceMs,
    close: () => storage.close(),
  };
}
