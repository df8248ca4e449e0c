import { useMemo } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { stringify } from "yaml";
import { ApiRequestError } from "../../api/client.ts";
import { type RunEventsState, useRunEvents } from "../../api/live.ts";
import { useCanChange, useRun } from "../../api/queries.ts";
import { type Failure, isTerminalStatus, type Run, type RunEvent } from "../../api/types.ts";
import { FailureView } from "../../components/failure-view.tsx";
import { formatDateTime, formatDuration, shortId, toMs } from "../../components/format.ts";
import { LaunchedBy } from "../../components/launched-by.tsx";
import { PageHeader, useDocumentTitle } from "../../components/page-header.tsx";
import { RunTarget } from "../../components/run-target.tsx";
import { Empty, ErrorBox, Loading } from "../../components/states.tsx";
import { RunStatusBadge } from "../../components/status-badge.tsx";
import { isSystemTag } from "../../components/system-tags.ts";
import { SystemTags, TagList } from "../../components/tags.tsx";
import { useNow } from "../../components/use-now.ts";
import { userWords } from "../../components/user-words.ts";
import { attemptLogRanges } from "./attempt-logs.ts";
import { EventLog } from "./event-log.tsx";
import { Gantt } from "./gantt.tsx";
import { LauncherInfo } from "./launcher-info.tsx";
import { RunActions } from "./run-actions.tsx";
import { type LogSelection, StepLogs } from "./step-logs.tsx";
import { buildStepTimelines, maxParallelism } from "./step-timeline.ts";

export function RunPage() {
  const { runId = "" } = useParams();
  const run = useRun(runId);
  // The event stream opens with the page, in parallel with the run's own request.
  const live = useRunEvents(runId);
  useDocumentTitle(`Run ${shortId(runId)}`);
  if (run.error && !run.data) {
    if (run.error instanceof ApiRequestError && run.error.status === 404)
      return (
        <Empty title={`No run ${runId}`}>
          It may have been deleted. <Link to="/runs">Back to runs</Link>
        </Empty>
      );
    return <ErrorBox error={run.error} title="Could not load this run" />;
  }
  if (!run.data) return <Loading label="Loading run…" />;
  return <RunView run={run.data} live={live} />;
}

interface FailureSummary {
  readonly reason: string | null;
  readonly runFailure: Failure | null;
  readonly steps: readonly { stepKey: string; failure: Failure; attempt: number | null }[];
}

function summarizeFailure(events: readonly RunEvent[]): FailureSummary {
  let reason: string | null = null;
  let runFailure: Failure | null = null;
  const steps: { stepKey: string; failure: Failure; attempt: number | null }[] = [];
  for (const e of events) {
    if (e.type === "RUN_FAILURE") {
      reason = typeof e.data.reason === "string" ? e.data.reason : e.message;
      runFailure = (e.data.failure as Failure | undefined) ?? null;
    } else if (e.type === "STEP_FAILURE" && e.stepKey && e.data.failure) {
      steps.push({
        stepKey: e.stepKey,
        failure: e.data.failure as Failure,
        attempt: typeof e.data.attempt === "number" ? e.data.attempt : null,
      });
    }
  }
  return { reason, runFailure, steps };
}

function RunView({ run, live }: { run: Run; live: RunEventsState }) {
  // Terminate and re-execute both come with the launcher role.
  const readOnly = !useCanChange("runs.launch", run.codeLocation ?? "");
  const [search, setSearch] = useSearchParams();
  const finished = isTerminalStatus(run.status);
  const now = useNow(!finished);
  const start = toMs(run.startTime);
  const end = toMs(run.endTime);
  const created = toMs(run.createdAt) ?? now;

  const timelines = useMemo(
    () => buildStepTimelines(live.events, finished ? (end ?? now) : null),
    [live.events, finished, end, now],
  );
  const stepKeys = useMemo(() => {
    const known = new Set(timelines.map((t) => t.stepKey));
    for (const key of run.stepKeysToExecute ?? []) known.add(key);
    return [...known];
  }, [timelines, run.stepKeysToExecute]);
  const failure = useMemo(
    () => (run.status === "FAILURE" ? summarizeFailure(live.events) : null),
    [run.status, live.events],
  );

  const failedStep = failure?.steps[0]?.stepKey ?? null;
  const logStep = search.get("logs") ?? failedStep ?? timelines[0]?.stepKey ?? null;
  const logStream =
    search.get("stream") === "stdout"
      ? "stdout"
      : search.get("stream") === "stderr"
        ? "stderr"
        : failedStep
          ? "stderr"
          : "stdout";
  const attemptParam = Number(search.get("attempt"));
  const logAttempt = Number.isInteger(attemptParam) && search.has("attempt") ? attemptParam : null;
  const logAttempts = useMemo(
    () => (logStep ? attemptLogRanges(live.events, logStep) : []),
    [live.events, logStep],
  );
  const showLogs = ({ stepKey, stream, attempt }: LogSelection) => {
    const next = new URLSearchParams(search);
    next.set("logs", stepKey);
    next.set("stream", stream);
    if (attempt === null) next.delete("attempt");
    else next.set("attempt", String(attempt));
    setSearch(next, { replace: true });
  };

  // The timeline starts at the first step: the worker's own start-up would squeeze the bars.
  const firstStep = timelines.length > 0 ? Math.min(...timelines.map((t) => t.start)) : null;
  const runStart = firstStep ?? start ?? created;
  const parallel = maxParallelism(timelines, now);
  const userTags = Object.fromEntries(Object.entries(run.tags).filter(([key]) => !isSystemTag(key)));
  const retries = timelines.reduce((n, t) => n + Math.max(0, t.attempts.length - 1), 0);

  return (
    <>
      <PageHeader
        kicker={
          <>
            <Link to="/runs">Runs</Link> /
          </>
        }
        title={
          <>
            Run <span className="mono">{shortId(run.runId)}</span> <RunStatusBadge status={run.status} />
          </>
        }
        subtitle={
          <>
            <RunTarget run={run} />
            {run.codeLocation && <span className="muted"> in {run.codeLocation}</span>}
            {run.partitionKey && <span> · partition {run.partitionKey}</span>}
            {!finished && !live.connected && <span className="muted"> · connecting to live events…</span>}
          </>
        }
        actions={
          !readOnly && <RunActions run={run} stepKeys={stepKeys} failedSteps={failure?.steps.length ?? 0} />
        }
      />

      {failure && (failure.reason || failure.steps.length > 0) && (
        <section className="failure-banner" role="alert" aria-labelledby="failure-title">
          <h2 id="failure-title">Run failed{failedStep ? ` in step ${failedStep}` : ""}</h2>
          {failure.reason && <p className="failure-reason">{userWords(failure.reason)}</p>}
          {failure.steps.slice(0, 3).map(({ stepKey, failure: f, attempt }) => (
            <div key={`${stepKey}-${f.message}`} className="failure-step">
              <div className="row">
                <strong className="mono">{stepKey}</strong>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => showLogs({ stepKey, stream: "stderr", attempt })}
                >
                  View stderr of {stepKey}
                  {attempt !== null && attempt > 1 && ` (attempt ${attempt}, the one that failed)`}
                </button>
              </div>
              <FailureView failure={f} openStack />
            </div>
          ))}
          {failure.steps.length === 0 && failure.runFailure && (
            <FailureView failure={failure.runFailure} openStack />
          )}
        </section>
      )}

      <dl className="stats">
        <div>
          <dt>Launched by</dt>
          <dd data-testid="launched-by">
            <LaunchedBy run={run} />
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{formatDateTime(run.createdAt)}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatDateTime(run.startTime)}</dd>
        </div>
        <div>
          <dt>Ended</dt>
          <dd>{formatDateTime(run.endTime)}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd data-testid="run-duration">{start !== null ? formatDuration((end ?? now) - start) : "—"}</dd>
        </div>
        <div>
          <dt>Steps</dt>
          <dd>
            {timelines.filter((t) => t.state === "success").length} ok
            {timelines.some((t) => t.state === "failure") && (
              <>, {timelines.filter((t) => t.state === "failure").length} failed</>
            )}
            {retries > 0 && (
              <>
                , {retries} retr{retries === 1 ? "y" : "ies"}
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>Parallelism</dt>
          <dd>up to {parallel}</dd>
        </div>
      </dl>

      <section className="card" aria-labelledby="timeline-title">
        <div className="section-head">
          <h2 id="timeline-title">Step timeline</h2>
          <span className="legend small">
            <span className="lg bar-success" /> succeeded <span className="lg bar-retry" /> failed, retried{" "}
            <span className="lg bar-failure" /> failed <span className="lg bar-running" /> running
          </span>
        </div>
        {start !== null && firstStep !== null && firstStep - start > 200 && (
          <p className="muted small">
            The run worker started {formatDuration(firstStep - start)} before its first step.
          </p>
        )}
        {timelines.length === 0 ? (
          <div className="state empty">{finished ? "No step ran." : "No step has started yet."}</div>
        ) : (
          <Gantt
            steps={timelines}
            runStart={runStart}
            now={now}
            selected={logStep}
            onSelect={(k) => showLogs({ stepKey: k, stream: logStream, attempt: null })}
          />
        )}
      </section>

      <StepLogs
        runId={run.runId}
        stepKeys={stepKeys}
        stepKey={logStep}
        stream={logStream}
        attempts={logAttempts}
        attempt={logAttempt}
        onChange={showLogs}
      />

      <EventLog events={live.events} stepKeys={stepKeys} live={!live.complete} />

      <div className="grid-2">
        <section className="card" aria-labelledby="tags-title">
          <h2 id="tags-title">Tags</h2>
          <TagList tags={userTags} />
          <SystemTags tags={run.tags} />
          {(run.parentRunId || run.rootRunId) && (
            <p className="small">
              {run.parentRunId && (
                <>
                  Re-executes <Link to={`/runs/${run.parentRunId}`}>{shortId(run.parentRunId)}</Link>.{" "}
                </>
              )}
              {run.rootRunId && run.rootRunId !== run.parentRunId && (
                <>
                  First run of this chain: <Link to={`/runs/${run.rootRunId}`}>{shortId(run.rootRunId)}</Link>
                  .
                </>
              )}
            </p>
          )}
          {run.stepKeysToExecute && (
            <p className="small">Selected steps: {run.stepKeysToExecute.join(", ")}</p>
          )}
          {run.assetSelection && <p className="small">Assets: {run.assetSelection.join(", ")}</p>}
        </section>
        <section className="card" aria-labelledby="config-title">
          <h2 id="config-title">Run config</h2>
          {run.runConfig && typeof run.runConfig === "object" && Object.keys(run.runConfig).length > 0 ? (
            <pre className="json">{stringify(run.runConfig)}</pre>
          ) : (
            <p className="muted">Empty (defaults)</p>
          )}
        </section>
        <section className="card" aria-labelledby="launcher-title">
          <h2 id="launcher-title">Launcher</h2>
          <LauncherInfo info={run.launcherInfo} />
        </section>
      </div>
    </>
  );
}
