import { useState } from "react";
import { useAssetPartitions } from "../../api/queries.ts";
import type { PartitionStatus } from "../../api/types.ts";
import { ErrorBox, Loading } from "../../components/states.tsx";
import { PARTITION_STATUS_LABELS, partitionToneClass } from "./partition-status.tsx";

const PAGE = 300;

/**
 * An asset's partitions newest first, each coloured by its status, filtered by the statuses toggled
 * above it; a click chooses the partition (the picker and the materialize buttons follow).
 */
export function PartitionGrid({
  assetKey,
  filter,
  selected,
  onSelect,
}: {
  assetKey: string;
  filter: readonly PartitionStatus[];
  selected: string | null;
  onSelect: (key: string) => void;
}) {
  // "Show older" asks for a longer page: the grid stays one list, newest first.
  const [limit, setLimit] = useState(PAGE);
  const page = useAssetPartitions(assetKey, {
    limit,
    ...(filter.length > 0 ? { status: filter.join(",") } : {}),
  });
  if (page.error && !page.data) return <ErrorBox error={page.error} title="Could not load partitions" />;
  if (!page.data) return <Loading label="Loading partitions…" />;
  const partitions = page.data.partitions;
  return (
    <>
      {partitions.length === 0 ? (
        <p className="muted">No partition in {filter.map((s) => PARTITION_STATUS_LABELS[s]).join(" or ")}.</p>
      ) : (
        <ul className="partition-grid" aria-label="Keys with their status">
          {partitions.map((p) => (
            <li key={p.key}>
              <button
                type="button"
                className={`partition-cell ${partitionToneClass(p.status)}`}
                aria-current={p.key === selected}
                title={`${p.key}: ${PARTITION_STATUS_LABELS[p.status]}${p.error ? ` — ${p.error}` : ""}`}
                onClick={() => onSelect(p.key)}
              >
                <span className="mono">{p.key}</span>
                <span className="sr-only"> {PARTITION_STATUS_LABELS[p.status]}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {page.data.nextCursor && (
        <button type="button" onClick={() => setLimit((n) => n + PAGE)}>
          Show older partitions
        </button>
      )}
    </>
  );
}
