import { Link, useParams } from "react-router";
import { useSchedules, useSensors, useTicks } from "../../api/queries.ts";
import type { InstigatorKind } from "../../api/types.ts";
import { FailureView } from "../../components/failure-view.tsx";
import { formatDateTime, formatRelative, shortId } from "../../components/format.ts";
import { PageHeader, useDocumentTitle } from "../../components/page-header.tsx";
import { Empty, ErrorBox, Loading } from "../../components/states.tsx";
import { InstigatorToggle } from "./instigator-toggle.tsx";
import { TickStatus } from "./tick-status.tsx";

export function InstigatorPage() {
  const params = useParams();
  const kind: InstigatorKind = params.kind === "sensor" ? "sensor" : "schedule";
  const location = params.location ?? "";
  const name = params.name ?? "";
  useDocumentTitle(name);
  const schedules = useSchedules();
  const sensors = useSensors();
  const ticks = useTicks(kind, location, name);
  const list = kind === "schedule" ? schedules.data : sensors.data;
  const item = list?.find((i) => i.location === location && i.name === name);

  return (
    <>
      <PageHeader
        kicker={
          <>
            <Link to="/automation">Schedules & sensors</Link> / {kind} /
          </>
        }
        title={name}
        subtitle={item?.description ?? `${kind} in ${location}`}
        actions={
          item && <InstigatorToggle kind={kind} location={location} name={name} status={item.status} />
        }
      />
      {item && (
        <dl className="stats">
          <div>
            <dt>Job</dt>
            <dd>
              <Link
                to={`/locations/${encodeURIComponent(location)}/jobs/${encodeURIComponent(item.jobName)}`}
              >
                {item.jobName}
              </Link>
            </dd>
          </div>
          {"cron" in item ? (
            <>
              <div>
                <dt>Cron</dt>
                <dd>
                  <code>{item.cron}</code> ({item.timezone})
                </dd>
              </div>
              <div>
                <dt>Next tick</dt>
                <dd>
                  {item.nextTickAt
                    ? `${formatDateTime(item.nextTickAt)} (${formatRelative(item.nextTickAt)})`
                    : "— (stopped)"}
                </dd>
              </div>
            </>
          ) : (
            <>
              <div>
                <dt>Minimum interval</dt>
                <dd>{item.minimumIntervalSeconds} s</dd>
              </div>
              <div>
                <dt>Cursor</dt>
                <dd className="mono">{item.cursor ?? "—"}</dd>
              </div>
            </>
          )}
        </dl>
      )}
      <section className="card" aria-labelledby="ticks-title">
        <h2 id="ticks-title">Tick history</h2>
        {ticks.error && !ticks.data ? (
          <ErrorBox error={ticks.error} />
        ) : !ticks.data ? (
          <Loading />
        ) : ticks.data.length === 0 ? (
          <Empty title="No ticks yet">
            {item?.status === "RUNNING"
              ? "The daemon records a tick each time it evaluates this."
              : "Turn it on to start ticking."}
          </Empty>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Status</th>
                <th scope="col">Runs requested</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {ticks.data.map((t) => (
                <tr key={t.tickId}>
                  <td>{formatDateTime(t.timestamp)}</td>
                  <td>
                    <TickStatus tick={t} />
                  </td>
                  <td>
                    {t.runIds.length === 0 ? (
                      <span className="muted">none</span>
                    ) : (
                      t.runIds.map((id) => (
                        <Link key={id} to={`/runs/${id}`} className="mono run-link">
                          {shortId(id)}
                        </Link>
                      ))
                    )}
                  </td>
                  <td>
                    {t.error ? (
                      <FailureView failure={t.error} />
                    ) : t.skipReason ? (
                      <span className="muted">{t.skipReason}</span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
