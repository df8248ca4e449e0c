import { useEffect, useRef } from "react";
import { type LogRange, useStepLog } from "../../api/live.ts";
import { formatBytes } from "../../components/format.ts";
import type { AttemptLogRange, LogStream } from "./attempt-logs.ts";

/** What the output view shows: a step, a stream, and one attempt or (null) all of them. */
export interface LogSelection {
  readonly stepKey: string;
  readonly stream: LogStream;
  readonly attempt: number | null;
}

/**
 * A step's stdout or stderr, streamed while the run is going. A step that ran more than once shows one
 * attempt at a time (the latest unless another is picked), or all of them one after the other.
 */
export function StepLogs({
  runId,
  stepKeys,
  stepKey,
  stream,
  attempts,
  attempt,
  onChange,
}: {
  runId: string;
  stepKeys: readonly string[];
  stepKey: string | null;
  stream: LogStream;
  /** The step's attempts with their output ranges; empty when they cannot be told apart. */
  attempts: readonly AttemptLogRange[];
  /** The attempt asked for; null for the latest. */
  attempt: number | null;
  onChange: (selection: LogSelection) => void;
}) {
  const separable = attempts.length > 1;
  const shown = separable
    ? attempt === 0
      ? null
      : (attempts.find((a) => a.attempt === attempt) ?? attempts.at(-1) ?? null)
    : null;
  const range: LogRange | null = shown
    ? { from: shown.from[stream], to: shown.to ? shown.to[stream] : null }
    : null;
  const log = useStepLog(runId, stepKey, stream, range);
  const pre = useRef<HTMLPreElement>(null);
  // Keep following the end of the log as it grows, unless the reader scrolled up.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs whenever the text grows
  useEffect(() => {
    const el = pre.current;
    if (el && el.scrollHeight - el.scrollTop - el.clientHeight < 80) el.scrollTop = el.scrollHeight;
  }, [log.text]);
  const what = `${stream} of step ${stepKey}${shown ? `, attempt ${shown.attempt} of ${attempts.length}` : ""}`;
  return (
    <section className="card step-logs" aria-labelledby="logs-title">
      <div className="section-head">
        <h2 id="logs-title">Step output</h2>
        <div className="event-filters">
          <label>
            Step
            <select
              value={stepKey ?? ""}
              onChange={(e) => onChange({ stepKey: e.target.value, stream, attempt: null })}
            >
              {stepKey === null && <option value="">Choose a step</option>}
              {stepKeys.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
          {separable && stepKey && (
            <label>
              Attempt
              <select
                value={shown ? String(shown.attempt) : "0"}
                onChange={(e) => onChange({ stepKey, stream, attempt: Number(e.target.value) })}
              >
                {attempts.map((a) => (
                  <option key={a.attempt} value={a.attempt}>
                    {a.attempt} of {attempts.length}
                  </option>
                ))}
                <option value="0">All attempts</option>
              </select>
            </label>
          )}
          <fieldset className="segmented">
            <legend className="sr-only">Stream</legend>
            {(["stdout", "stderr"] as const).map((s) => (
              <button
                key={s}
                type="button"
                aria-pressed={stream === s}
                onClick={() => stepKey && onChange({ stepKey, stream: s, attempt })}
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
          <div className="sr-only">{what}</div>
          <pre ref={pre} className="log-output" data-testid="step-log">
            {log.text ||
              (log.complete
                ? `(no ${stream} from ${stepKey}${shown ? ` in attempt ${shown.attempt}` : ""})`
                : `Waiting for ${stream}…`)}
          </pre>
          <div className="muted small">
            {formatBytes(log.bytes)} · {log.complete ? "complete" : "streaming"}
          </div>
        </>
      )}
    </section>
  );
}
