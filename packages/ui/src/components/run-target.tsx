import { Link } from "react-router";
import type { Run } from "../api/types.ts";
import { isInternalJobName } from "./user-words.ts";

/**
 * What a run ran, in the user's words: its job, linked to the job's page, or for an asset materialization
 * (which runs as an internal job nobody defined) the assets it materialized.
 */
export function RunTarget({ run, compact = false }: { run: Run; compact?: boolean }) {
  if (isInternalJobName(run.jobName)) {
    const assets = run.assetSelection ?? [];
    if (assets.length === 0) return <span>Asset materialization</span>;
    const shown = compact ? assets.slice(0, 2) : assets;
    return (
      <span title={assets.join(", ")}>
        <span className="muted">{compact ? "Assets " : "Materialization of "}</span>
        {shown.map((key, i) => (
          <span key={key}>
            {i > 0 && ", "}
            {compact ? key : <Link to={`/assets/${key}`}>{key}</Link>}
          </span>
        ))}
        {assets.length > shown.length && <span className="muted"> +{assets.length - shown.length}</span>}
      </span>
    );
  }
  if (!run.codeLocation) return <span>{run.jobName}</span>;
  return (
    <Link to={`/locations/${encodeURIComponent(run.codeLocation)}/jobs/${encodeURIComponent(run.jobName)}`}>
      {run.jobName}
    </Link>
  );
}
