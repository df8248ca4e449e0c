import type { RunStatus } from "../api/types.ts";

const LABELS: Record<RunStatus, string> = {
  QUEUED: "Queued",
  NOT_STARTED: "Not started",
  STARTING: "Starting",
  STARTED: "Running",
  CANCELING: "Canceling",
  SUCCESS: "Success",
  FAILURE: "Failure",
  CANCELED: "Canceled",
};

export function statusLabel(status: RunStatus): string {
  return LABELS[status];
}

/** A run status as a coloured pill; the text is the status, so it reads without colour too. */
export function RunStatusBadge({ status }: { status: RunStatus }) {
  return (
    <span className={`badge status-${status.toLowerCase()}`} data-status={status}>
      {(status === "STARTED" || status === "STARTING" || status === "CANCELING") && (
        <span className="pulse" aria-hidden="true" />
      )}
      {LABELS[status]}
    </span>
  );
}

export function Pill({
  tone,
  children,
}: {
  tone: "ok" | "bad" | "warn" | "muted" | "info";
  children: React.ReactNode;
}) {
  return <span className={`badge tone-${tone}`}>{children}</span>;
}
