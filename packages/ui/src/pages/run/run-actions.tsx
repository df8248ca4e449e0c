import { useState } from "react";
import { useNavigate } from "react-router";
import { type ReexecuteRequest, useReexecuteRun, useTerminateRun } from "../../api/queries.ts";
import { isTerminalStatus, type Run } from "../../api/types.ts";
import { ErrorBox } from "../../components/states.tsx";

/** Terminate a running run; re-execute a finished one (all steps, from failure, or chosen steps). */
export function RunActions({
  run,
  stepKeys,
  failedSteps,
}: {
  run: Run;
  stepKeys: readonly string[];
  failedSteps: number;
}) {
  const terminate = useTerminateRun(run.runId);
  const reexecute = useReexecuteRun(run.runId);
  const navigate = useNavigate();
  const [choosing, setChoosing] = useState(false);
  const [chosen, setChosen] = useState<string[]>([]);
  const finished = isTerminalStatus(run.status);

  const launch = (body: ReexecuteRequest) =>
    reexecute.mutate(body, { onSuccess: (child) => navigate(`/runs/${child.runId}`) });

  return (
    <div className="run-actions">
      {!finished && (
        <button
          type="button"
          className="danger"
          disabled={terminate.isPending || run.status === "CANCELING"}
          onClick={() => {
            if (window.confirm(`Terminate run ${run.runId.slice(0, 8)}?`)) terminate.mutate();
          }}
        >
          {run.status === "CANCELING" ? "Terminating…" : "Terminate"}
        </button>
      )}
      {finished && run.codeLocation && (
        <>
          <button
            type="button"
            className="primary"
            disabled={reexecute.isPending}
            onClick={() => launch({ mode: "all" })}
          >
            Re-execute all
          </button>
          {run.status !== "SUCCESS" && (
            <button
              type="button"
              disabled={
                reexecute.isPending ||
                (failedSteps === 0 && run.status === "FAILURE" && stepKeys.length === 0)
              }
              onClick={() => launch({ mode: "fromFailure" })}
            >
              Re-execute from failure
            </button>
          )}
          <button type="button" aria-expanded={choosing} onClick={() => setChoosing(!choosing)}>
            Re-execute selected…
          </button>
        </>
      )}
      {choosing && finished && (
        <fieldset className="popover">
          <legend>Steps to re-execute</legend>
          {stepKeys.map((key) => (
            <label key={key} className="check">
              <input
                type="checkbox"
                checked={chosen.includes(key)}
                onChange={(e) =>
                  setChosen(e.target.checked ? [...chosen, key] : chosen.filter((k) => k !== key))
                }
              />
              {key}
            </label>
          ))}
          <div className="row">
            <button
              type="button"
              className="primary"
              disabled={chosen.length === 0 || reexecute.isPending}
              onClick={() => launch({ mode: "selected", stepKeys: chosen })}
            >
              Re-execute {chosen.length} step{chosen.length === 1 ? "" : "s"}
            </button>
            <button type="button" onClick={() => setChoosing(false)}>
              Cancel
            </button>
          </div>
        </fieldset>
      )}
      {terminate.error && <ErrorBox error={terminate.error} title="Could not terminate" />}
      {reexecute.error && <ErrorBox error={reexecute.error} title="Could not re-execute" />}
    </div>
  );
}
