/**
 * The K8sRunLauncher: every run becomes a Kubernetes Job running `bosun api execute-run`.
 *
 * - launch: resolves the run pod's config (launcher → code location's container context → the job's
 *   `bosun-k8s/config` tag), creates the Job (repeated on 500/503/504; a 409 on a repeat counts as
 *   created) and returns `{ k8sJobName, k8sNamespace, image, k8sConfig, launchAttempt }`, which the daemon
 *   records on the run. The Job's worker claims its launch attempt (`--launch-attempt`) before running
 *   anything, so a daemon may relaunch a run whose admitting daemon died (`workersClaimLaunches`).
 * - relaunch after a daemon crash: the Job is named after the run, so there is never a second one. When
 *   it already exists (the dead daemon created it and died before recording it), launch creates nothing
 *   and adopts it: it returns the existing Job's facts with the attempt its worker claims, which the
 *   daemon records so that this worker's claim is accepted (see `LaunchStorage.claim`).
 * - terminate: deletes the Job with foreground propagation; the pod gets SIGTERM, the worker
 *   interrupts its steps (deleting their Jobs) and ends the run CANCELED. If the pod dies without
 *   writing that, the daemon's run monitor ends the run CANCELED with the reason (reported by the
 *   watches, or found by its poll).
 * - checkHealth: from the Job and its pods (watch caches when this process monitors).
 * - observe: the daemon's run monitor subscribes; only then are watches opened (`K8sRunMonitor`),
 *   reporting to it. A process that only terminates (the webserver) opens no watch. This launcher
 *   never writes to storage.
 */

import type { LocationEntry } from "@bosun/code-server";
import type { JsonValue, RunRecord } from "@bosun/core";
import type { LauncherInfo, RunHealth, RunLauncher, RunObserver } from "@bosun/runs";
import { WORKER_LAUNCH_ATTEMPT_KEY } from "@bosun/storage";
import type { V1Job } from "@kubernetes/client-node";
import { createKubeClients, type KubeClients } from "../client/kube-clients.ts";
import { kubeErrorMessage, kubeStatusCode } from "../client/kube-errors.ts";
import { createWithRetry, type KubeRetryOptions, withKubeRetry } from "../client/kube-retry.ts";
import { k8sClientSource } from "../config/client-source.ts";
import { type K8sRunLauncherConfig, K8sRunLauncherConfigSchema } from "../config/launcher-config.ts";
import { parseK8sConfig } from "../config/parse.ts";
import { sanitizeLabelValue } from "../manifests/labels.ts";
import { K8sRunMonitor, type MonitorLogger } from "../monitor/k8s-run-monitor.ts";
import type { PodStartPolicy } from "../monitor/pod-diagnosis.ts";
import {
  launchAttemptOfRunJob,
  type RunJobManifestInput,
  resolveRunPodConfig,
  runJobManifest,
} from "./run-job-manifest.ts";
import { k8sContainerContextOf } from "./worker-env.ts";

/** The name the K8sRunLauncher is registered under (`run_launcher: { k8s: ... }`). */
export const K8S_LAUNCHER_NAME = "k8s";

/** Options of `K8sRunLauncher`: its parsed config, storage, and optionally clients and monitoring. */
export interface K8sRunLauncherOptions {
  /** Parsed launcher config (`K8sRunLauncherConfigSchema`); see `K8sRunLauncher.fromConfig` for raw input. */
  readonly config: K8sRunLauncherConfig;
  /** Default: from the config's `load_incluster_config` / `kubeconfig_file`. */
  readonly clients?: KubeClients;
  /** When observed, watch run Jobs, pods and Warning events in the namespaces this launcher uses. Default true. */
  readonly monitor?: boolean;
  /** Grace periods before a stuck pod fails its run. */
  readonly podStartPolicy?: Partial<PodStartPolicy>;
  /** How long a finished or vanished run Job's worker gets to store its own end. Default 3 s. */
  readonly finishGraceMs?: number;
  readonly retry?: KubeRetryOptions;
  readonly log?: MonitorLogger;
  /** For bare `KEY` entries of `env_vars`; default `process.env`. */
  readonly processEnv?: Readonly<Record<string, string | undefined>>;
}

/** A Job with the run's name already exists and belongs to another run, or cannot be read. */
export class RunJobExistsError extends Error {
  readonly code = "BOSUN_K8S_RUN_JOB_EXISTS";
  constructor(
    readonly runId: string,
    readonly jobName: string,
    readonly namespace: string,
    readonly why: string,
  ) {
    super(`a Job ${namespace}/${jobName} exists already and cannot be used for run ${runId}: ${why}`);
    this.name = "RunJobExistsError";
  }
}

interface RunJobInfo {
  readonly name: string;
  readonly namespace: string;
}

function jobInfoOf(run: RunRecord): RunJobInfo | null {
  const { launcher, k8sJobName, k8sNamespace } = run.launcherInfo as Record<string, unknown>;
  if (launcher !== K8S_LAUNCHER_NAME || typeof k8sJobName !== "string" || typeof k8sNamespace !== "string")
    return null;
  return { name: k8sJobName, namespace: k8sNamespace };
}

/**
 * @example
 * // bosun.yaml: run_launcher: { k8s: { job_namespace: data, image: "bosun/bosun:0.1.0", instance_config_map: bosun-instance } }
 * const launcher = K8sRunLauncher.fromConfig(rawConfig);
 * const info = await launcher.launch(run, workspace.get("analytics")!); // { launcher: "k8s", k8sJobName, ... }
 */
export class K8sRunLauncher implements RunLauncher {
  readonly name = K8S_LAUNCHER_NAME;
  /** The run Job's worker gets `--launch-attempt` and claims it; an existing Job is adopted, not doubled. */
  readonly workersClaimLaunches = true;
  readonly clients: KubeClients;
  private watches: K8sRunMonitor | null = null;

  constructor(private readonly options: K8sRunLauncherOptions) {
    this.clients = options.clients ?? createKubeClients(k8sClientSource(options.config));
  }

  /** Validates the raw `run_launcher.k8s` section (errors name the field path) and builds the launcher. */
  static fromConfig(raw: unknown, options: Omit<K8sRunLauncherOptions, "config"> = {}): K8sRunLauncher {
    const config = parseK8sConfig(K8sRunLauncherConfigSchema, raw, "run_launcher.k8s");
    return new K8sRunLauncher({ ...options, config });
  }

  /** The watches, while the daemon's run monitor observes this launcher (null otherwise). */
  get monitor(): K8sRunMonitor | null {
    return this.watches;
  }

  /** Opens the watches (namespace by namespace, as runs are launched or asked about), reporting to `observer`. */
  observe(observer: RunObserver): () => Promise<void> {
    if (this.options.monitor === false) return async () => undefined;
    if (this.watches) throw new Error("the k8s run launcher already reports to an observer");
    const monitor = new K8sRunMonitor({
      clients: this.clients,
      observer,
      ...(this.options.podStartPolicy ? { policy: this.options.podStartPolicy } : {}),
      ...(this.options.finishGraceMs !== undefined ? { finishGraceMs: this.options.finishGraceMs } : {}),
      ...(this.options.log ? { log: this.options.log } : {}),
    });
    this.watches = monitor;
    return async () => {
      if (this.watches === monitor) this.watches = null;
      await monitor.close();
    };
  }

  get config(): K8sRunLauncherConfig {
    return this.options.config;
  }

  /** The Job `launch` would create for this run (nothing is sent to the cluster). */
  jobFor(run: RunRecord, location: LocationEntry, launchAttempt?: number): V1Job {
    return runJobManifest(this.manifestInput(run, location, launchAttempt));
  }

  private manifestInput(
    run: RunRecord,
    location: LocationEntry,
    launchAttempt?: number,
  ): RunJobManifestInput {
    const snapshot = location.snapshot;
    if (!snapshot) throw new Error(`code location "${location.name}" has no loaded definitions`);
    const containerContext = k8sContainerContextOf(
      snapshot.containerContext,
      `code location "${location.name}" container_context`,
    );
    return {
      run,
      origin: snapshot.origin,
      ...(launchAttempt !== undefined ? { launchAttempt } : {}),
      launcher: this.options.config,
      ...(containerContext ? { containerContext } : {}),
      ...(this.options.processEnv ? { processEnv: this.options.processEnv } : {}),
    };
  }

  async launch(run: RunRecord, location: LocationEntry, launchAttempt?: number): Promise<LauncherInfo> {
    const input = this.manifestInput(run, location, launchAttempt);
    const job = runJobManifest(input);
    const name = job.metadata!.name!;
    const namespace = job.metadata!.namespace!;
    // Watch before creating, so the new pod's first warnings are seen.
    await this.monitor?.watchNamespace(namespace, 5_000);
    let workerAttempt = launchAttempt ?? null;
    try {
      await createWithRetry(
        () => this.clients.batch.createNamespacedJob({ namespace, body: job }),
        this.options.retry,
      );
    } catch (error) {
      if (kubeStatusCode(error) !== 409)
        throw new Error(`could not create the run Job ${namespace}/${name}: ${kubeErrorMessage(error)}`, {
          cause: error,
        });
      workerAttempt = await this.adoptExistingJob(run.runId, name, namespace);
    }
    const image = job.spec?.template.spec?.containers[0]?.image ?? null;
    this.monitor?.track(run.runId, namespace, name);
    return {
      launcher: this.name,
      k8sJobName: name,
      k8sNamespace: namespace,
      image,
      // The merged run pod config (launcher → code location → job tag), for the run page.
      k8sConfig: resolveRunPodConfig(input).sections as JsonValue,
      ...(workerAttempt !== null ? { [WORKER_LAUNCH_ATTEMPT_KEY]: workerAttempt } : {}),
    };
  }

  /**
   * The run's Job exists already: a daemon that died before recording it created it (Kubernetes refuses a
   * second Job of that name, so the run never gets two workers). Resolves to the launch attempt its worker
   * claims (null when it claims none); throws when the Job is another run's.
   */
  private async adoptExistingJob(runId: string, name: string, namespace: string): Promise<number | null> {
    let existing: V1Job;
    try {
      existing = await withKubeRetry(
        () => this.clients.batch.readNamespacedJob({ name, namespace }),
        this.options.retry,
      );
    } catch (error) {
      throw new RunJobExistsError(runId, name, namespace, kubeErrorMessage(error));
    }
    const owner = existing.metadata?.labels?.["bosun/run-id"];
    if (owner !== sanitizeLabelValue(runId))
      throw new RunJobExistsError(runId, name, namespace, `it belongs to run ${owner}`);
    const attempt = launchAttemptOfRunJob(existing);
    this.options.log?.(
      "info",
      `run ${runId}: its Job ${namespace}/${name} exists already (created by an earlier daemon); using it${attempt !== null ? ` (launch attempt ${attempt})` : ""} instead of creating another`,
    );
    return attempt;
  }

  async terminate(run: RunRecord): Promise<boolean> {
    const info = jobInfoOf(run);
    if (!info) return false;
    this.monitor?.track(run.runId, info.namespace, info.name);
    try {
      await withKubeRetry(
        () =>
          this.clients.batch.deleteNamespacedJob({
            name: info.name,
            namespace: info.namespace,
            propagationPolicy: "Foreground",
          }),
        this.options.retry,
      );
      return true;
    } catch (error) {
      if (kubeStatusCode(error) === 404) return false;
      throw new Error(
        `could not delete the run Job ${info.namespace}/${info.name}: ${kubeErrorMessage(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  async checkHealth(run: RunRecord): Promise<RunHealth> {
    const info = jobInfoOf(run);
    if (!info) return { status: "UNKNOWN", message: "no Kubernetes Job is recorded for the run" };
    this.monitor?.track(run.runId, info.namespace, info.name);
    let job = this.monitor?.cachedJob(info.namespace, info.name);
    if (job === undefined) {
      try {
        job = await withKubeRetry(
          () => this.clients.batch.readNamespacedJob({ name: info.name, namespace: info.namespace }),
          this.options.retry,
        );
      } catch (error) {
        if (kubeStatusCode(error) === 404) job = null;
        else return { status: "UNKNOWN", message: `could not read the run Job: ${kubeErrorMessage(error)}` };
      }
    }
    if (job === null)
      return { status: "NOT_FOUND", message: `the run Job ${info.namespace}/${info.name} does not exist` };
    const stuck = this.monitor?.problemOf(info.namespace, info.name);
    if (stuck)
      return {
        status: "FAILED",
        message: `pod ${stuck.pod.metadata?.name}: ${stuck.problem.reason}: ${stuck.problem.message}`,
      };
    const finished = job.status?.conditions?.find(
      (c) => (c.type === "Failed" || c.type === "Complete") && c.status === "True",
    );
    if (finished?.type === "Failed")
      return {
        status: "FAILED",
        message: `the run Job ${info.name} failed${finished.reason ? ` (${finished.reason}${finished.message ? `: ${finished.message}` : ""})` : ""}`,
      };
    if (finished?.type === "Complete")
      return {
        status: "FAILED",
        message: `the run worker in Job ${info.name} exited without finishing the run`,
      };
    return { status: "RUNNING" };
  }

  async close(): Promise<void> {
    await this.monitor?.close();
  }
}
