import { Link } from "react-router";
import type { Run } from "../api/types.ts";
import { formatDateTime, formatDuration, formatRelative, shortId, toMs } from "./format.ts";
import { LaunchedBy } from "./launched-by.tsx";
import { RunTarget } from "./run-target.tsx";
import { RunStatusBadge } from "./status-badge.tsx";
import { isSystemTag } from "./system-tags.ts";

/**
 * Runs as a table: id, status, job, what launched it, tags, created, duration. Every id, job, schedule,
 * sensor and parent run is a link; Bosun's own `bosun/*` tags show as "Launched by", not as tags.
 */
export function RunsTable({
  runs,
  showTags = true,
  caption,
}: {
  runs: readonly Run[];
  showTags?: boolean;
  caption?: string;
}) {
  const now = Date.now();
  return (
    <table className="table runs-table">
      {caption && <caption className="sr-only">{caption}</caption>}
      <thead>
        <tr>
          <th scope="col">Run</th>
          <th scope="col">Status</th>
          <th scope="col">Job</th>
          <th scope="col">Launched by</th>
          {showTags && <th scope="col">Tags</th>}
          <th scope="col">Created</th>
          <th scope="col">Duration</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => {
          const start = toMs(run.startTime);
          const end = toMs(run.endTime);
          const userTags = Object.entries(run.tags).filter(([k]) => !isSystemTag(k));
          return (
            <tr key={run.runId} data-run-id={run.runId}>
              <td>
                <Link to={`/runs/${run.runId}`} className="mono" aria-label={`Run ${shortId(run.runId)}`}>
                  {shortId(run.runId)}
                </Link>
              </td>
              <td>
                <RunStatusBadge status={run.status} />
              </td>
              <td>
                <RunTarget run={run} compact />
                {run.partitionKey && <span className="muted small"> · {run.partitionKey}</span>}
              </td>
              <td className="launched-by-cell">
                <LaunchedBy run={run} />
              </td>
              {showTags && (
                <td className="tags-cell">
                  <div>
                    {userTags.slice(0, 3).map(([k, v]) => (
                      <Link
                        key={k}
                        className="tag"
                        to={`/runs?${new URLSearchParams({ tag: `${k}=${v}` })}`}
                        title={`${k}=${v}`}
                      >
                        {k}={v.length > 24 ? `${v.slice(0, 22)}…` : v}
                      </Link>
                    ))}
                    {userTags.length > 3 && <span className="muted small">+{userTags.length - 3}</span>}
                  </div>
                </td>
              )}
              <td title={formatDateTime(run.createdAt)}>{formatRelative(run.createdAt, now)}</td>
              <td className="num">{start !== null ? formatDuration((end ?? now) - start) : "—"}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
