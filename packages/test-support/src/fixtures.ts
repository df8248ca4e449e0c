import { fileURLToPath } from "node:url";

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}.ts`, import.meta.url));

/** Code location files shared by the suites of several packages (engine, code server, daemon, CLI). */
export const FIXTURES = {
  /** Jobs for the engine: fan-out/fan-in, failures, retries, a slow step, resources and IO managers. */
  engine: fixture("engine-location"),
  /** Steps that print to stdout/stderr, for compute-log capture. */
  computeLogs: fixture("compute-logs-location"),
  /** A step that ticks (prints and logs) for a while, then one downstream: database outages fall inside it. */
  outage: fixture("outage-location"),
  /** An asset whose upstream does not exist: the location fails to load. */
  unknownDependency: fixture("unknown-dependency-location"),
  /** Jobs, schedules and sensors for the daemon's loops. */
  daemon: fixture("daemon-location"),
  /** The code server suite's location (config schemas, partitions, schedules, sensors). */
  codeServer: fixture("code-server-location"),
  /** An asset whose run logs an object literal, as the README does (nothing is inferred from its source). */
  loggingAsset: fixture("logging-asset-location"),
  /** A location whose module throws on load. */
  codeServerBroken: fixture("code-server-broken-location"),
  /** A job whose `bosun-k8s/config` tag misspells `resources`: the Kubernetes plugin's checks fail the load. */
  k8sTagTypo: fixture("k8s-tag-typo-location"),
} as const;
