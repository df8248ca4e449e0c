import type { ResourceType } from "../resources/resource-types.ts";
import type { KObject } from "../store/k8s-object.ts";

/**
 * Server-side printing (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`), which
 * `kubectl get` asks for. Columns follow kubectl's for the common kinds.
 */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  const first = accept.split(",")[0] ?? "";
  return /as=Table/.test(first) && /g=meta\.k8s\.io/.test(first);
}

interface Column {
  readonly name: string;
  readonly type: string;
  readonly priority?: number;
  readonly format?: string;
}

export function age(timestamp: string | undefined): string {
  if (!timestamp) return "<unknown>";
  const seconds = Math.max(0, Math.floor((Date.now() - Date.parse(timestamp)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

type Any = Record<string, any>;

function podStatus(pod: Any): string {
  if (pod.metadata.deletionTimestamp) return "Terminating";
  let reason: string = pod.status?.reason ?? pod.status?.phase ?? "Pending";
  for (const cs of pod.status?.containerStatuses ?? []) {
    if (cs.state?.waiting?.reason) reason = cs.state.waiting.reason;
    else if (cs.state?.terminated?.reason) reason = cs.state.terminated.reason;
  }
  return reason;
}

function columnsFor(type: ResourceType): { columns: Column[]; cells: (o: Any) => unknown[] } {
  const name: Column = { name: "Name", type: "string", format: "name" };
  const ageColumn: Column = { name: "Age", type: "string" };
  switch (type.kind) {
    case "Pod":
      return {
        columns: [
          name,
          { name: "Ready", type: "string" },
          { name: "Status", type: "string" },
          { name: "Restarts", type: "string" },
          ageColumn,
          { name: "IP", type: "string", priority: 1 },
          { name: "Node", type: "string", priority: 1 },
        ],
        cells: (o) => {
          const statuses: Any[] = o.status?.containerStatuses ?? [];
          const ready = statuses.filter((s) => s.ready).length;
          const restarts = statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0);
          return [
            o.metadata.name,
            `${ready}/${(o.spec?.containers ?? []).length}`,
            podStatus(o),
            String(restarts),
            age(o.metadata.creationTimestamp),
            o.status?.podIP ?? "<none>",
            o.spec?.nodeName ?? "<none>",
          ];
        },
      };
    case "Job":
      return {
        columns: [
          name,
          { name: "Status", type: "string" },
          { name: "Completions", type: "string" },
          ageColumn,
        ],
        cells: (o) => {
          const conditions: Any[] = o.status?.conditions ?? [];
          const done = conditions.find(
            (c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True",
          );
          return [
            o.metadata.name,
            done ? done.type : "Running",
            `${o.status?.succeeded ?? 0}/${o.spec?.completions ?? 1}`,
            age(o.metadata.creationTimestamp),
          ];
        },
      };
    case "Event":
      return {
        columns: [
          { name: "Last Seen", type: "string" },
          { name: "Type", type: "string" },
          { name: "Reason", type: "string" },
          { name: "Object", type: "string" },
          { name: "Message", type: "string" },
          { ...name, priority: 1 },
        ],
        cells: (o) => [
          age(o.lastTimestamp ?? o.metadata.creationTimestamp),
          o.type ?? "",
          o.reason ?? "",
          `${String(o.involvedObject?.kind ?? "").toLowerCase()}/${o.involvedObject?.name ?? ""}`,
          o.message ?? "",
          o.metadata.name,
        ],
      };
    case "ReplicaSet":
      return {
        columns: [
          name,
          { name: "Desired", type: "integer" },
          { name: "Current", type: "integer" },
          { name: "Ready", type: "integer" },
          ageColumn,
        ],
        cells: (o) => [
          o.metadata.name,
          o.spec?.replicas ?? 0,
          o.status?.replicas ?? 0,
          o.status?.readyReplicas ?? 0,
          age(o.metadata.creationTimestamp),
        ],
      };
    case "Deployment":
    case "StatefulSet":
      return {
        columns: [
          name,
          { name: "Ready", type: "string" },
          { name: "Up-to-date", type: "integer" },
          { name: "Available", type: "integer" },
          ageColumn,
        ],
        cells: (o) => [
          o.metadata.name,
          `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`,
          o.status?.updatedReplicas ?? 0,
          o.status?.availableReplicas ?? 0,
          age(o.metadata.creationTimestamp),
        ],
      };
    case "Service":
      return {
        columns: [
          name,
          { name: "Type", type: "string" },
          { name: "Cluster-IP", type: "string" },
          { name: "Port(s)", type: "string" },
          ageColumn,
        ],
        cells: (o) => [
          o.metadata.name,
          o.spec?.type ?? "ClusterIP",
          o.spec?.clusterIP ?? "<none>",
          (o.spec?.ports ?? []).map((p: Any) => `${p.port}/${p.protocol ?? "TCP"}`).join(",") || "<none>",
          age(o.metadata.creationTimestamp),
        ],
      };
    case "Namespace":
      return {
        columns: [name, { name: "Status", type: "string" }, ageColumn],
        cells: (o) => [o.metadata.name, o.status?.phase ?? "Active", age(o.metadata.creationTimestamp)],
      };
    default:
      return {
        columns: [name, ageColumn],
        cells: (o) => [o.metadata.name, age(o.metadata.creationTimestamp)],
      };
  }
}

export function toTable(
  type: ResourceType,
  objects: KObject[],
  omitHeaders = false,
): Record<string, unknown> {
  const { columns, cells } = columnsFor(type);
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: { resourceVersion: objects[0]?.metadata.resourceVersion ?? "" },
    columnDefinitions: omitHeaders
      ? []
      : columns.map((c) => ({
          name: c.name,
          type: c.type,
          format: c.format ?? "",
          description: c.name,
          priority: c.priority ?? 0,
        })),
    rows: objects.map((o) => ({ cells: cells(o as Any), object: o })),
  };
}
