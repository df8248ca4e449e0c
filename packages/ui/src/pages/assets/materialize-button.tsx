import { useNavigate } from "react-router";
import { useCanChange, useLaunchRun } from "../../api/queries.ts";
import { ErrorBox } from "../../components/states.tsx";

/** Launches a run of the given assets (all from one code location); opens the run on success. */
export function MaterializeButton({
  location,
  assetKeys,
  label,
  partitionKey,
}: {
  location: string;
  assetKeys: readonly string[];
  label?: string;
  partitionKey?: string | null;
}) {
  const readOnly = !useCanChange("runs.launch", location);
  const launch = useLaunchRun();
  const navigate = useNavigate();
  if (readOnly) return null;
  return (
    <span className="materialize">
      <button
        type="button"
        className="primary"
        disabled={assetKeys.length === 0 || launch.isPending}
        onClick={() =>
          launch.mutate(
            { location, assetSelection: assetKeys, ...(partitionKey ? { partitionKey } : {}) },
            { onSuccess: (run) => navigate(`/runs/${run.runId}`) },
          )
        }
      >
        {launch.isPending
          ? "Launching…"
          : (label ?? `Materialize ${assetKeys.length === 1 ? assetKeys[0] : `${assetKeys.length} assets`}`)}
      </button>
      {launch.error && <ErrorBox error={launch.error} title="Could not materialize" />}
    </span>
  );
}
