import { IN_PROGRESS_RUN_STATUSES } from "@bosun/core";
import { Link } from "react-router";
import { ApiRequestError } from "../../api/client.ts";
import { useDaemonHealth, useLocations, useRuns, useSchedules, useSensors } from "../../api/queries.ts";
import { formatRelative } from "../../components/format.ts";
import { PageHeader, useDocumentTitle } from "../../components/page-header.tsx";
import { RunsTable } from "../../components/runs-table.tsx";
import { Empty, ErrorBox, Loading } from "../../components/states.tsx";
import { Pill } from "../../components/status-badge.tsx";
import { userWords } from "../../components/user-words.ts";

const DAEMON_LABELS = {
  RUN_QUEUE: "Run queue",
  SCHEDULER: "Scheduler",
  SENSOR: "Sensors",
  RUN_MONITOR: "Run monitor",
  RETENTION: "Retention",
} as const;

export function OverviewPage() {
  useDocumentTitle("Overview");
  const inProgress = useRuns({ status: [...IN_PROGRESS_RUN_STATUSES, "QUEUED"], limit: 20 });
  const failures = useRuns({ status: ["FAILURE"], limit: 8 });
  const locations = useLocations();
  const schedules = useSchedules();
  const sensors = useSensors();
  const daemon = useDaemonHealth();

  const brokenLocations = (locations.data ?? []).filter((l) => l.status === "ERROR");
  const failingInstigators = [
    ...(schedules.data ?? []).map((s) => ({ kind: "schedule" as const, item: s })),
    ...(sensors.data ?? []).map((s) => ({ kind: "sensor" as const, item: s })),
  ].filter(({ item }) => item.latestTick?.status === "FAILURE");

  return (
    <>
      <PageHeader title="Overview" subtitle="What is running, what failed, and what needs attention." />
      <div className="grid-2">
        <section className="card" aria-labelledby="ov-progress">
          <h2 id="ov-progress">
            Runs in progress and queued{" "}
            {inProgress.data && <span className="count">{inProgress.data.runs.length}</span>}
          </h2>
          {inProgress.error && !inProgress.data ? (
            <ErrorBox error={inProgress.error} />
          ) : !inProgress.data ? (
            <Loading />
          ) : inProgress.data.runs.length === 0 ? (
            <Empty title="Nothing is running">
              <Link to="/jobs">Launch a job</Link> or <Link to="/assets">materialize assets</Link>.
            </Empty>
          ) : (
            <RunsTable runs={inProgress.data.runs} showTags={false} caption="Runs in progress" />
          )}
        </section>
        <section className="card" aria-labelledby="ov-failures">
          <h2 id="ov-failures">Recent failures</h2>
          {failures.error && !failures.data ? (
            <ErrorBox error={failures.error} />
          ) : !failures.data ? (
            <Loading />
          ) : failures.data.runs.length === 0 ? (
            <Empty title="No failed runs" />
          ) : (
            <>
              <RunsTable runs={failures.data.runs} showTags={false} caption="Recent failures" />
              <Link to="/runs?status=FAILURE" className="more">
                All failed runs →
              </Link>
            </>
          )}
        </section>
        <section className="card" aria-labelledby="ov-locations">
          <h2 id="ov-locations">Code locations</h2>
          {!locations.data ? (
            locations.error ? (
              <ErrorBox error={locations.error} />
            ) : (
              <Loading />
            )
          ) : brokenLocations.length === 0 ? (
            <p className="ok-line">
              <Pill tone="ok">OK</Pill> {locations.data.length} location
              {locations.data.length === 1 ? "" : "s"} loaded.
            </p>
          ) : (
            <ul className="plain-list">
              {brokenLocations.map((l) => (
                <li key={l.name}>
                  <Pill tone="bad">Error</Pill>{" "}
                  <Link to={`/locations#${encodeURIComponent(l.name)}`}>{l.name}</Link>:{" "}
                  <span className="error-text">
                    {l.error ? userWords(l.error.message) : "failed to load"}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card" aria-labelledby="ov-automation">
          <h2 id="ov-automation">Schedules and sensors</h2>
          {!schedules.data && !sensors.data ? (
            schedules.error ? (
              <ErrorBox error={schedules.error} />
            ) : (
              <Loading />
            )
          ) : failingInstigators.length === 0 ? (
            <p className="ok-line">
              <Pill tone="ok">OK</Pill> {(schedules.data ?? []).filter((s) => s.status === "RUNNING").length}{" "}
              schedules and {(sensors.data ?? []).filter((s) => s.status === "RUNNING").length} sensors
              running, no failed ticks.
            </p>
          ) : (
            <ul className="plain-list">
              {failingInstigators.map(({ kind, item }) => (
                <li key={`${kind}-${item.location}-${item.name}`}>
                  <Pill tone="bad">Tick failed</Pill>{" "}
                  <Link
                    to={`/automation/${kind}/${encodeURIComponent(item.location)}/${encodeURIComponent(item.name)}`}
                  >
                    {item.name}
                  </Link>{" "}
                  <span className="muted">({kind})</span>:{" "}
                  <span className="error-text">{item.latestTick?.error?.message}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card" aria-labelledby="ov-daemon">
          <h2 id="ov-daemon">Daemon</h2>
          {daemon.data ? (
            <ul className="daemon-list">
              {daemon.data.daemons.map((d) => (
                <li key={d.daemonType}>
                  <Pill tone={d.healthy ? "ok" : "bad"}>{d.healthy ? "Healthy" : "Not healthy"}</Pill>{" "}
                  <strong>{DAEMON_LABELS[d.daemonType] ?? d.daemonType}</strong>{" "}
                  <span className="muted">
                    {d.lastHeartbeat
                      ? `last heartbeat ${formatRelative(d.lastHeartbeat)}`
                      : "no heartbeat yet"}
                  </span>
                  {d.errors[0] && <div className="error-text small">{userWords(d.errors[0].message)}</div>}
                </li>
              ))}
            </ul>
          ) : daemon.error ? (
            daemon.error instanceof ApiRequestError && daemon.error.code === "NOT_AVAILABLE" ? (
              <p className="muted">This webserver keeps no daemon heartbeats.</p>
            ) : (
              <ErrorBox error={daemon.error} />
            )
          ) : (
            <Loading />
          )}
        </section>
      </div>
    </>
  );
}
