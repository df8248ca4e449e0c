import type { PartitionCounts, PartitionStatus, PartitionStatusSummary } from "../../api/types.ts";

/** Partition statuses, worst first: a stretch of the bar takes the colour of its worst partition. */
const WORST_FIRST: readonly PartitionStatus[] = ["FAILED", "IN_PROGRESS", "MISSING", "MATERIALIZED"];

/** What each status is called on screen, and its colour class. */
export const PARTITION_STATUS_LABELS: Readonly<Record<PartitionStatus, string>> = {
  MATERIALIZED: "materialized",
  FAILED: "failed",
  IN_PROGRESS: "in progress",
  MISSING: "missing",
};

const TONE: Readonly<Record<PartitionStatus, string>> = {
  MATERIALIZED: "ok",
  FAILED: "bad",
  IN_PROGRESS: "info",
  MISSING: "muted",
};

/** The class that colours a partition of this status (`.partition-ok`...). */
export function partitionToneClass(status: PartitionStatus): string {
  return `partition-${TONE[status]}`;
}

/** "3 missing / 1 failed", or "all materialized"; what the catalog and lineage show. */
export function problemSummary(counts: PartitionCounts): string {
  if (counts.MISSING === 0 && counts.FAILED === 0)
    return counts.IN_PROGRESS > 0 ? `${counts.IN_PROGRESS} in progress` : "all materialized";
  return `${counts.MISSING} missing / ${counts.FAILED} failed`;
}

/**
 * The status bar over an asset's whole partition range, oldest on the left, and the counts per status as
 * toggles that filter the grid below it.
 */
export function PartitionStatusBar({
  summary,
  filter,
  onToggle,
}: {
  summary: PartitionStatusSummary;
  filter: readonly PartitionStatus[];
  onToggle: (status: PartitionStatus) => void;
}) {
  return (
    <div className="partition-status">
      <div className="partition-bar" role="img" aria-label={barLabel(summary)}>
        {summary.bar.map((segment) => {
          const worst = WORST_FIRST.find((status) => segment.counts[status] > 0) ?? "MISSING";
          const range =
            segment.firstKey === segment.lastKey
              ? segment.firstKey
              : `${segment.firstKey} … ${segment.lastKey}`;
          return (
            <span
              key={segment.firstKey}
              className={`partition-bar-segment ${partitionToneClass(worst)}`}
              style={{ flexGrow: segment.size }}
              title={`${range}: ${describeCounts(segment.counts)}`}
            />
          );
        })}
      </div>
      <div className="partition-bar-ends small muted">
        <span>{summary.bar[0]?.firstKey ?? ""}</span>
        <span>{summary.latestKey ?? ""}</span>
      </div>
      <fieldset className="partition-counts">
        <legend className="sr-only">Filter by status</legend>
        {(Object.keys(PARTITION_STATUS_LABELS) as PartitionStatus[]).map((status) => (
          <button
            key={status}
            type="button"
            aria-pressed={filter.includes(status)}
            className={`partition-count ${partitionToneClass(status)}`}
            onClick={() => onToggle(status)}
          >
            <strong>{summary.counts[status].toLocaleString()}</strong> {PARTITION_STATUS_LABELS[status]}
          </button>
        ))}
        <span className="muted small">of {summary.total.toLocaleString()} partitions</span>
      </fieldset>
    </div>
  );
}

function describeCounts(counts: PartitionCounts): string {
  return (Object.keys(PARTITION_STATUS_LABELS) as PartitionStatus[])
    .filter((status) => counts[status] > 0)
    .map((status) => `${counts[status]} ${PARTITION_STATUS_LABELS[status]}`)
    .join(", ");
}

function barLabel(summary: PartitionStatusSummary): string {
  return `Status bar over ${summary.total} keys: ${describeCounts(summary.counts)}`;
}
