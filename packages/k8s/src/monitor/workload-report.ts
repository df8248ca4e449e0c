/**
 * What Bosun tells users when a run or step pod cannot run: the pod's phase, each container's state,
 * the last lines of its log and the Warning events of the pod and its Job, as one readable summary and
 * a JSON detail for the event log.
 */

import type { JsonValue } from "@bosun/core";
import type { CoreV1Event, V1Job, V1Pod } from "@kubernetes/client-node";
import type { KubeClients } from "../client/kube-clients.ts";
import { containerStates, formatContainerStates, type PodProblem } from "./pod-diagnosis.ts";

/** Lines of the pod's log kept in a failure report. */
export const REPORT_LOG_LINES = 20;

/** What went wrong with a worker's pod: one paragraph for the event log, details for the UI. */
export interface WorkloadReport {
  /** One paragraph: what went wrong, the pod's phase and containers, the latest warnings. */
  readonly summary: string;
  readonly detail: Readonly<Record<string, JsonValue>>;
}

/** `Pod bosun-run-x-abcde: FailedScheduling: 0/1 nodes are available... (×3)` */
export function formatWarningEvent(event: CoreV1Event): string {
  const object = `${event.involvedObject.kind ?? "object"} ${event.involvedObject.name ?? ""}`.trim();
  const count = event.count ?? event.series?.count ?? 1;
  return `${object}: ${event.reason ?? "Warning"}: ${event.message ?? ""}${count > 1 ? ` (×${count})` : ""}`;
}

/** Warning events about any of `names` (a Job and its pods), oldest first. */
export function warningsAbout(events: readonly CoreV1Event[], names: ReadonlySet<string>): CoreV1Event[] {
  return events
    .filter((event) => event.type === "Warning" && names.has(event.involvedObject.name ?? ""))
    .sort((a, b) => eventTime(a) - eventTime(b));
}

function eventTime(event: CoreV1Event): number {
  const when =
    event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata.creationTimestamp;
  return when === undefined ? 0 : new Date(when as unknown as string).getTime();
}

/** The last lines of the pod's main container log; empty when it has none (a pod that never started). */
export async function podLogTail(
  clients: KubeClients,
  pod: V1Pod,
  lines = REPORT_LOG_LINES,
): Promise<string> {
  const container = pod.spec?.containers[0]?.name;
  try {
    const text = await clients.core.readNamespacedPodLog({
      name: pod.metadata?.name ?? "",
      namespace: pod.metadata?.namespace ?? "default",
      ...(container === undefined ? {} : { container }),
      tailLines: lines,
    });
    return typeof text === "string" ? text : "";
  } catch {
    return "";
  }
}

export interface WorkloadReportInput {
  readonly clients: KubeClients;
  /** What happened, in a few words: `run pod cannot start`, `step Job failed`. */
  readonly headline: string;
  readonly job?: V1Job;
  readonly pod?: V1Pod;
  readonly problem?: PodProblem;
  /** Warning events of the Job and its pods. */
  readonly warnings: readonly CoreV1Event[];
}

/**
 * Gathers the report, reading the pod's log tail from the API.
 *
 * @example
 * const report = await buildWorkloadReport({ clients, headline: "run pod cannot start", pod, problem, warnings });
 * report.summary // 'run pod cannot start: ImagePullBackOff: Back-off pulling image "bosun/missing:1" — pod bosun-run-…: phase Pending; bosun: waiting (ImagePullBackOff: …)'
 */
export async function buildWorkloadReport(input: WorkloadReportInput): Promise<WorkloadReport> {
  const { pod, problem, job } = input;
  const states = pod ? containerStates(pod) : [];
  const logTail = pod ? await podLogTail(input.clients, pod) : "";
  const warnings = input.warnings.map(formatWarningEvent);
  const jobCondition = job?.status?.conditions?.find(
    (condition) =>
      (condition.type === "Failed" || condition.type === "Complete") && condition.status === "True",
  );
  const parts = [
    problem ? `${input.headline}: ${problem.reason}: ${problem.message}` : input.headline,
    job
      ? `Job ${job.metadata?.name}${jobCondition ? ` ${jobCondition.type}${jobCondition.reason ? ` (${jobCondition.reason})` : ""}` : ""}`
      : null,
    pod
      ? `pod ${pod.metadata?.name}: phase ${pod.status?.phase ?? "unknown"}; ${formatContainerStates(states)}`
      : "no pod was created",
    warnings.length > 0 ? `warnings: ${warnings.slice(-5).join(" | ")}` : null,
    logTail.trim() ? `last log lines:\n${indent(logTail.trimEnd())}` : null,
  ].filter((part): part is string => part !== null);
  return {
    summary: parts.join(" — "),
    detail: {
      ...(problem ? { reason: problem.reason, reasonMessage: problem.message } : {}),
      ...(job
        ? {
            jobName: job.metadata?.name ?? null,
            jobCondition: jobCondition?.reason ?? jobCondition?.type ?? null,
          }
        : {}),
      podName: pod?.metadata?.name ?? null,
      podPhase: pod?.status?.phase ?? null,
      containers: states as unknown as JsonValue,
      logTail,
      warnings,
    },
  };
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}
