import { useQueue } from "../../api/queries.ts";
import { PageHeader, useDocumentTitle } from "../../components/page-header.tsx";
import { RunTarget } from "../../components/run-target.tsx";
import { RunsTable } from "../../components/runs-table.tsx";
import { Empty, ErrorBox, Loading } from "../../components/states.tsx";

export function QueuePage() {
  useDocumentTitle("Queue");
  const queue = useQueue();
  const q = queue.data;
  return (
    <>
      <PageHeader
        title="Queue"
        subtitle="Runs waiting for the run coordinator, oldest first, and the runs holding the slots."
      />
      {queue.error && !q ? (
        <ErrorBox error={queue.error} />
      ) : !q ? (
        <Loading />
      ) : (
        <>
          <dl className="stats">
            <div>
              <dt>In progress</dt>
              <dd>{q.inProgressCount}</dd>
            </div>
            <div>
              <dt>Queued</dt>
              <dd>{q.queuedCount}</dd>
            </div>
            {q.limits?.maxConcurrentRuns !== undefined && q.limits.maxConcurrentRuns !== null && (
              <div>
                <dt>Max concurrent runs</dt>
                <dd>{q.limits.maxConcurrentRuns}</dd>
              </div>
            )}
          </dl>
          {q.limits?.tagConcurrencyLimits && q.limits.tagConcurrencyLimits.length > 0 && (
            <section className="card" aria-labelledby="limits-title">
              <h2 id="limits-title">Tag concurrency limits</h2>
              <ul className="plain-list">
                {q.limits.tagConcurrencyLimits.map((l) => (
                  <li key={`${l.key}=${l.value ?? "*"}`}>
                    <code>
                      {l.key}
                      {l.value !== undefined ? `=${l.value}` : ""}
                    </code>{" "}
                    at most {l.limit} at once{l.perUniqueValue ? " per value" : ""}
                  </li>
                ))}
              </ul>
            </section>
          )}
          <section className="card" aria-labelledby="inprogress-title">
            <h2 id="inprogress-title">In progress</h2>
            {q.inProgress.length === 0 ? (
              <Empty title="Nothing is running" />
            ) : (
              <RunsTable runs={q.inProgress} caption="In progress" />
            )}
          </section>
          <section className="card" aria-labelledby="queued-title">
            <h2 id="queued-title">Queued</h2>
            {q.queued.length === 0 ? (
              <Empty title="The queue is empty" />
            ) : (
              <>
                {q.queuedCount > q.queued.length && (
                  <p className="muted">
                    Showing the oldest {q.queued.length} of {q.queuedCount}.
                  </p>
                )}
                <RunsTable runs={q.queued} caption="Queued" />
                {q.holds && Object.keys(q.holds).length > 0 && (
                  <>
                    <h3>Held by a limit</h3>
                    <ul className="plain-list">
                      {q.queued
                        .filter((run) => q.holds?.[run.runId])
                        .map((run) => (
                          <li key={run.runId}>
                            <code>{run.runId.slice(0, 8)}</code> (<RunTarget run={run} compact />
                            ): {q.holds?.[run.runId]}
                          </li>
                        ))}
                    </ul>
                  </>
                )}
              </>
            )}
          </section>
        </>
      )}
    </>
  );
}
