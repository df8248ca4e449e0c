import { useEffect, useRef } from "react";
import { useStepLog } from "../../api/live.ts";
import { formatBytes } from "../../components/format.ts";

/** A step's stdout or stderr, streamed while the run is going; picks the step and stream from props. */
export function StepLogs({
  runId,
  stepKeys,
  stepKey,
  stream,
  onChange,
}: {
  runId: string;
  stepKeys: readonly string[];
  stepKey: string | null;
  stream: "stdout" | "stderr";
  onChange: (stepKey: string, stream: "stdout" | "stderr") => void;
}) {
  const log = useStepLog(runId, stepKey, stream);
  const pre = useRef<HTMLPreElement>(null);
  // Keep following the end of the log as it grows, unless the reader scrolled up.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs whenever the text grows
  useEffect(() => {
    const el = pre.current;
    if (el && el.scrollHeight - el.scrollTop - el.clientHeight < 80) el.scrollTop = el.scrollHeight;
  }, [log.text]);
  return (
    <section className="card step-logs" aria-labelledby="logs-title">
      <div className="section-head">
        <h2 id="logs-title">Step output</h2>
        <div className="event-filters">
          <label>
            Step
            <select value={stepKey ?? ""} onChange={(e) => onChange(e.target.value, stream)}>
              {stepKey === null && <option value="">Choose a step</option>}
              {stepKeys.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
          <fieldset className="segmented">
            <legend className="sr-only">Stream</legend>
            {(["stdout", "stderr"] as const).map((s) => (
              <button
                key={s}
                type="button"
                aria-pressed={stream === s}
                onClick={() => stepKey && onChange(stepKey, s)}
              >
                {s}
              </button>
            ))}
          </fieldset>
        </div>
      </div>
      {stepKey === null ? (
        <div className="state empty">No step has started yet.</div>
      ) : (
        <>
          <div className="sr-only">{`${stream} of step ${stepKey}`}</div>
          <pre ref={pre} className="log-output" data-testid="step-log">
            {log.text || (log.complete ? `(no ${stream} from ${stepKey})` : `Waiting for ${stream}…`)}
          </pre>
          <div className="muted small">
            {formatBytes(log.bytes)} · {log.complete ? "complete" : "streaming"}
          </div>
        </>
      )}
    </section>
  );
}
