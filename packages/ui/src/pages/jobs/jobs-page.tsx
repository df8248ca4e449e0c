import { useState } from "react";
import { Link } from "react-router";
import { useAllJobs, useLocations } from "../../api/queries.ts";
import { PageHeader, useDocumentTitle } from "../../components/page-header.tsx";
import { Empty, ErrorBox, Loading } from "../../components/states.tsx";
import { Pill } from "../../components/status-badge.tsx";
import { userWords } from "../../components/user-words.ts";

export function JobsPage() {
  useDocumentTitle("Jobs");
  const locations = useLocations();
  const { jobs, isPending, error } = useAllJobs();
  const [query, setQuery] = useState("");
  const needle = query.trim().toLowerCase();
  const shown = jobs.filter(
    (j) =>
      !needle ||
      j.name.toLowerCase().includes(needle) ||
      (j.description ?? "").toLowerCase().includes(needle),
  );
  const byLocation = new Map<string, typeof jobs>();
  for (const job of shown) byLocation.set(job.location, [...(byLocation.get(job.location) ?? []), job]);
  const broken = (locations.data ?? []).filter((l) => l.status === "ERROR");

  return (
    <>
      <PageHeader
        title="Jobs"
        subtitle="Open a job to see its op graph and launch it."
        actions={
          <label className="search">
            <span className="sr-only">Search jobs</span>
            <input
              type="search"
              placeholder="Search jobs"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
            />
          </label>
        }
      />
      {broken.map((l) => (
        <div key={l.name} className="notice bad">
          Code location <Link to="/locations">{l.name}</Link> failed to load, so its jobs are not listed:{" "}
          {l.error && userWords(l.error.message)}
        </div>
      ))}
      {error && jobs.length === 0 ? (
        <ErrorBox error={error} />
      ) : isPending && jobs.length === 0 ? (
        <Loading label="Loading jobs…" />
      ) : shown.length === 0 ? (
        <Empty title={needle ? "No job matches" : "No jobs defined"}>
          {needle ? "Try another search." : "Jobs come from the code locations' definitions."}
        </Empty>
      ) : (
        [...byLocation.entries()].map(([location, list]) => (
          <section key={location} className="card" aria-labelledby={`loc-${location}`}>
            <h2 id={`loc-${location}`}>
              <span className="muted">Location</span> {location}
            </h2>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Job</th>
                  <th scope="col">Description</th>
                  <th scope="col">Steps</th>
                  <th scope="col">Partitions</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((job) => {
                  const base = `/locations/${encodeURIComponent(job.location)}/jobs/${encodeURIComponent(job.name)}`;
                  return (
                    <tr key={job.name}>
                      <td>
                        <Link to={base}>
                          <strong>{job.name}</strong>
                        </Link>
                        {job.assetKeys.length > 0 && (
                          <>
                            {" "}
                            <Pill tone="info">assets</Pill>
                          </>
                        )}
                      </td>
                      <td className="muted">{job.description ?? ""}</td>
                      <td className="num">{job.stepCount}</td>
                      <td>{job.partitions ? job.partitions.kind : "—"}</td>
                      <td>
                        <Link to={`${base}?tab=launchpad`} aria-label={`Open launchpad for ${job.name}`}>
                          Launchpad
                        </Link>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
        ))
      )}
    </>
  );
}
