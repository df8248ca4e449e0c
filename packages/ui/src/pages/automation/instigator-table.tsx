import type { ReactNode } from "react";
import { Link } from "react-router";
import type { InstigatorStatus, Tick } from "../../api/types.ts";
import { formatDateTime, formatRelative } from "../../components/format.ts";
import { Empty, ErrorBox, Loading } from "../../components/states.tsx";
import { InstigatorToggle } from "./instigator-toggle.tsx";
import { TickStatus } from "./tick-status.tsx";

/** What a schedule and a sensor both show. */
export interface InstigatorRow {
  readonly name: string;
  readonly location: string;
  readonly jobName: string;
  readonly status: InstigatorStatus;
  readonly latestTick: Tick | null;
}

export const instigatorLink = (kind: string, location: string, name: string) =>
  `/automation/${kind}/${encodeURIComponent(location)}/${encodeURIComponent(name)}`;

/**
 * One card listing schedules or sensors: name and location, on/off toggle, the kind's own column
 * (cron, interval), job, next tick and latest tick with its error.
 */
export function InstigatorTable<T extends InstigatorRow>({
  kind,
  title,
  rows,
  error,
  detail,
  next,
}: {
  kind: "schedule" | "sensor";
  title: string;
  /** Undefined while loading. */
  rows: readonly T[] | undefined;
  error: unknown;
  detail: { readonly header: string; readonly cell: (row: T) => ReactNode };
  next: { readonly header: string; readonly at: (row: T) => string | number | null };
}) {
  const titleId = `${kind}s-title`;
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      {error && !rows ? (
        <ErrorBox error={error} />
      ) : !rows ? (
        <Loading />
      ) : rows.length === 0 ? (
        <Empty title={`No ${kind}s`} />
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{kind === "schedule" ? "Schedule" : "Sensor"}</th>
              <th scope="col">On</th>
              <th scope="col">{detail.header}</th>
              <th scope="col">Job</th>
              <th scope="col">{next.header}</th>
              <th scope="col">Latest tick</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const nextAt = next.at(row);
              return (
                <tr key={`${row.location}/${row.name}`} {...{ [`data-${kind}`]: row.name }}>
                  <td>
                    <Link to={instigatorLink(kind, row.location, row.name)}>
                      <strong>{row.name}</strong>
                    </Link>
                    <div className="muted small">{row.location}</div>
                  </td>
                  <td>
                    <InstigatorToggle
                      kind={kind}
                      location={row.location}
                      name={row.name}
                      status={row.status}
                    />
                  </td>
                  <td>{detail.cell(row)}</td>
                  <td>
                    <Link
                      to={`/locations/${encodeURIComponent(row.location)}/jobs/${encodeURIComponent(row.jobName)}`}
                    >
                      {row.jobName}
                    </Link>
                  </td>
                  <td title={nextAt === null ? undefined : formatDateTime(nextAt)}>
                    {nextAt === null ? <span className="muted">—</span> : formatRelative(nextAt)}
                  </td>
                  <td>
                    {row.latestTick ? (
                      <>
                        <TickStatus tick={row.latestTick} />{" "}
                        <span className="small">{formatRelative(row.latestTick.timestamp)}</span>
                        {row.latestTick.error && (
                          <div className="error-text small">{row.latestTick.error.message}</div>
                        )}
                      </>
                    ) : (
                      <span className="muted">none yet</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
