import { Link, useSearchParams } from "react-router";
import { useSchedules, useSensors } from "../../api/queries.ts";
import { formatDateTime, formatRelative } from "../../components/format.ts";
import { PageHeader, useDocumentTitle } from "../../components/page-header.tsx";
import { Empty, ErrorBox, Loading } from "../../components/states.tsx";
import { InstigatorToggle } from "./instigator-toggle.tsx";
import { TickStatus } from "./tick-status.tsx";

const instigatorLink = (kind: string, location: string, name: string) =>
  `/automation/${kind}/${encodeURIComponent(location)}/${encodeURIComponent(name)}`;

export function AutomationPage() {
  useDocumentTitle("Schedules & sensors");
  const schedules = useSchedules();
  const sensors = useSensors();
  const [search, setSearch] = useSearchParams();
  const query = search.get("q") ?? "";
  const needle = query.toLowerCase();
  const match = (s: { name: string; jobName: string }) =>
    !needle || s.name.toLowerCase().includes(needle) || s.jobName.toLowerCase().includes(needle);

  return (
    <>
      <PageHeader
        title="Schedules & sensors"
        subtitle="Turn them on or off; the daemon follows within seconds."
        actions={
          <label className="search">
            <span className="sr-only">Search schedules and sensors</span>
            <input
              type="search"
              placeholder="Search"
              value={query}
              onChange={(e) => setSearch(e.target.value ? { q: e.target.value } : {}, { replace: true })}
            />
          </label>
        }
      />
      <section className="card" aria-labelledby="schedules-title">
        <h2 id="schedules-title">Schedules</h2>
        {schedules.error && !schedules.data ? (
          <ErrorBox error={schedules.error} />
        ) : !schedules.data ? (
          <Loading />
        ) : schedules.data.filter(match).length === 0 ? (
          <Empty title="No schedules" />
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Schedule</th>
                <th scope="col">On</th>
                <th scope="col">Cron</th>
                <th scope="col">Job</th>
                <th scope="col">Next tick</th>
                <th scope="col">Latest tick</th>
              </tr>
            </thead>
            <tbody>
              {schedules.data.filter(match).map((s) => (
                <tr key={`${s.location}/${s.name}`} data-schedule={s.name}>
                  <td>
                    <Link to={instigatorLink("schedule", s.location, s.name)}>
                      <strong>{s.name}</strong>
                    </Link>
                    <div className="muted small">{s.location}</div>
                  </td>
                  <td>
                    <InstigatorToggle kind="schedule" location={s.location} name={s.name} status={s.status} />
                  </td>
                  <td>
                    <code>{s.cron}</code> <span className="muted small">{s.timezone}</span>
                  </td>
                  <td>
                    <Link
                      to={`/locations/${encodeURIComponent(s.location)}/jobs/${encodeURIComponent(s.jobName)}`}
                    >
                      {s.jobName}
                    </Link>
                  </td>
                  <td title={formatDateTime(s.nextTickAt)}>
                    {s.nextTickAt ? formatRelative(s.nextTickAt) : <span className="muted">—</span>}
                  </td>
                  <td>
                    {s.latestTick ? (
                      <>
                        <TickStatus tick={s.latestTick} />{" "}
                        <span className="small">{formatRelative(s.latestTick.timestamp)}</span>
                        {s.latestTick.error && (
                          <div className="error-text small">{s.latestTick.error.message}</div>
                        )}
                      </>
                    ) : (
                      <span className="muted">none yet</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="card" aria-labelledby="sensors-title">
        <h2 id="sensors-title">Sensors</h2>
        {sensors.error && !sensors.data ? (
          <ErrorBox error={sensors.error} />
        ) : !sensors.data ? (
          <Loading />
        ) : sensors.data.filter(match).length === 0 ? (
          <Empty title="No sensors" />
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Sensor</th>
                <th scope="col">On</th>
                <th scope="col">Every</th>
                <th scope="col">Job</th>
                <th scope="col">Next evaluation</th>
                <th scope="col">Latest tick</th>
              </tr>
            </thead>
            <tbody>
              {sensors.data.filter(match).map((s) => (
                <tr key={`${s.location}/${s.name}`}>
                  <td>
                    <Link to={instigatorLink("sensor", s.location, s.name)}>
                      <strong>{s.name}</strong>
                    </Link>
                    <div className="muted small">{s.location}</div>
                  </td>
                  <td>
                    <InstigatorToggle kind="sensor" location={s.location} name={s.name} status={s.status} />
                  </td>
                  <td>{s.minimumIntervalSeconds} s</td>
                  <td>{s.jobName}</td>
                  <td>
                    {s.nextEvaluationAt ? (
                      formatRelative(s.nextEvaluationAt)
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td>
                    {s.latestTick ? (
                      <>
                        <TickStatus tick={s.latestTick} />{" "}
                        <span className="small">{formatRelative(s.latestTick.timestamp)}</span>
                        {s.latestTick.error && (
                          <div className="error-text small">{s.latestTick.error.message}</div>
                        )}
                      </>
                    ) : (
                      <span className="muted">none yet</span>
                    )}
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
