/**
 * Reads a pod's status for the problems that keep a Bosun worker from running, so the run (or step)
 * can fail within seconds with the reason instead of waiting for a generic start timeout. Pure: the
 * caller keeps track of how long each problem has lasted and applies the grace periods.
 *
 * Problems, and what they mean:
 * - `ImagePullBackOff`, `InvalidImageName`, `ErrImageNeverPull`: the image cannot be had: at once.
 * - `ErrImagePull`: a pull failed; Kubernetes tries again, so it counts after `imagePullGraceMs`.
 * - `CreateContainerConfigError` / `CreateContainerError` (a missing Secret or ConfigMap key...):
 *   after `createContainerConfigGraceMs`, since the missing object may be about to appear.
 * - `Unschedulable` (PodScheduled=False): after `unschedulableTimeoutMs` (a cluster autoscaler may add a node).
 * - `CrashLoopBackOff`: the container keeps exiting: at once.
 * - a container terminated `OOMKilled` (now or in its last state), or the pod `Evicted`: at once.
 */
import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";

/** How long each kind of pod start problem may last before it fails the worker. */
export interface PodStartPolicy {
  /** How long `ErrImagePull` may last before it counts (`ImagePullBackOff` counts at once). */
  readonly imagePullGraceMs: number;
  /** How long `CreateContainerConfigError` / `CreateContainerError` may last. */
  readonly createContainerConfigGraceMs: number;
  /** How long a pod may stay unschedulable. */
  readonly unschedulableTimeoutMs: number;
}

/**
 * Grace periods of pod start problems: 10 s for image pulls, 15 s for container config errors, 2 min
 * unschedulable.
 */
export const DEFAULT_POD_START_POLICY: PodStartPolicy = {
  imagePullGraceMs: 10_000,
  createContainerConfigGraceMs: 15_000,
  unschedulableTimeoutMs: 120_000,
};

/** Why a pod cannot start or died, and how long that may last before it counts. */
export interface PodProblem {
  /** Kubernetes' reason: `ImagePullBackOff`, `OOMKilled`, `Unschedulable`, ... */
  readonly reason: string;
  readonly message: string;
  /** The container concerned, when it is about one. */
  readonly container?: string;
  /** How long the problem must last before it fails the worker. */
  readonly graceMs: number;
  /**
   * `cannot-start`: the pod is stuck before its worker runs (its Job should be deleted);
   * `crashed`: the worker was killed or keeps dying.
   */
  readonly kind: "cannot-start" | "crashed";
}

const PULL_FATAL = new Set(["ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"]);
const CONFIG_ERRORS = new Set(["CreateContainerConfigError", "CreateContainerError"]);

function containerStatuses(pod: V1Pod): V1ContainerStatus[] {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
}

/**
 * The problems a pod shows now, with the grace each needs.
 *
 * @example
 * podProblems(pod, DEFAULT_POD_START_POLICY)
 * // → [{ reason: "ImagePullBackOff", message: 'Back-off pulling image "bosun/missing:1"', container: "bosun", graceMs: 0, kind: "cannot-start" }]
 */
export function podProblems(pod: V1Pod, policy: PodStartPolicy = DEFAULT_POD_START_POLICY): PodProblem[] {
  const problems: PodProblem[] = [];
  if (pod.status?.phase === "Failed" && pod.status.reason === "Evicted") {
    problems.push({
      reason: "Evicted",
      message: pod.status.message ?? "the pod was evicted",
      graceMs: 0,
      kind: "crashed",
    });
  }
  const scheduled = pod.status?.conditions?.find((condition) => condition.type === "PodScheduled");
  if (scheduled?.status === "False" && scheduled.reason === "Unschedulable") {
    problems.push({
      reason: "Unschedulable",
      message: scheduled.message ?? "no node can run the pod",
      graceMs: policy.unschedulableTimeoutMs,
      kind: "cannot-start",
    });
  }
  for (const status of containerStatuses(pod)) {
    const waiting = status.state?.waiting;
    const reason = waiting?.reason;
    if (reason !== undefined) {
      const message = waiting?.message ?? reason;
      if (PULL_FATAL.has(reason))
        problems.push({ reason, message, container: status.name, graceMs: 0, kind: "cannot-start" });
      else if (reason === "ErrImagePull")
        problems.push({
          reason,
          message,
          container: status.name,
          graceMs: policy.imagePullGraceMs,
          kind: "cannot-start",
        });
      else if (CONFIG_ERRORS.has(reason))
        problems.push({
          reason,
          message,
          container: status.name,
          graceMs: policy.createContainerConfigGraceMs,
          kind: "cannot-start",
        });
      else if (reason === "CrashLoopBackOff")
        problems.push({ reason, message, container: status.name, graceMs: 0, kind: "crashed" });
    }
    const terminated = status.state?.terminated ?? status.lastState?.terminated;
    if (terminated?.reason === "OOMKilled") {
      problems.push({
        reason: "OOMKilled",
        message: `container ${status.name} was killed for using more memory than its limit${limitOf(pod, status.name)} (exit code ${terminated.exitCode})`,
        container: status.name,
        graceMs: 0,
        kind: "crashed",
      });
    }
  }
  return problems;
}

function limitOf(pod: V1Pod, container: string): string {
  const limit = pod.spec?.containers.find((c) => c.name === container)?.resources?.limits?.memory;
  return limit === undefined ? "" : ` (${limit})`;
}

/** One container of a pod, summarised for reports: its state, reason, exit code and restarts. */
export interface ContainerStateSummary {
  readonly name: string;
  readonly state: "waiting" | "running" | "terminated" | "unknown";
  readonly reason?: string;
  readonly message?: string;
  readonly exitCode?: number;
  readonly restartCount: number;
}

/** Each container's state, in a JSON-friendly form for events. */
export function containerStates(pod: V1Pod): ContainerStateSummary[] {
  return containerStatuses(pod).map((status) => {
    const { waiting, running, terminated } = status.state ?? {};
    const base = { name: status.name, restartCount: status.restartCount ?? 0 };
    if (terminated)
      return {
        ...base,
        state: "terminated" as const,
        exitCode: terminated.exitCode,
        ...(terminated.reason ? { reason: terminated.reason } : {}),
        ...(terminated.message ? { message: terminated.message } : {}),
      };
    if (running) return { ...base, state: "running" as const };
    if (waiting)
      return {
        ...base,
        state: "waiting" as const,
        ...(waiting.reason ? { reason: waiting.reason } : {}),
        ...(waiting.message ? { message: waiting.message } : {}),
      };
    return { ...base, state: "unknown" as const };
  });
}

/** `bosun: waiting (ImagePullBackOff: Back-off pulling image "x")`, one per container, `; `-separated. */
export function formatContainerStates(states: readonly ContainerStateSummary[]): string {
  if (states.length === 0) return "no container status yet";
  return states
    .map((s) => {
      const why = [s.reason, s.message].filter((part) => part !== undefined && part !== "").join(": ");
      const exit = s.exitCode === undefined ? "" : ` exit code ${s.exitCode}`;
      return `${s.name}: ${s.state}${exit}${why ? ` (${why})` : ""}`;
    })
    .join("; ");
}
