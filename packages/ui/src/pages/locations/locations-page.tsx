import { useCanChange, useLocations, useReloadLocation } from "../../api/queries.ts";
import type { CodeLocation } from "../../api/types.ts";
import { FailureView } from "../../components/failure-view.tsx";
import { formatRelative } from "../../components/format.ts";
import { PageHeader, useDocumentTitle } from "../../components/page-header.tsx";
import { Empty, ErrorBox, Loading } from "../../components/states.tsx";
import { Pill } from "../../components/status-badge.tsx";

const TONE = { LOADED: "ok", LOADING: "info", ERROR: "bad" } as const;

export function LocationsPage() {
  useDocumentTitle("Code locations");
  const locations = useLocations();
  return (
    <>
      <PageHeader
        title="Code locations"
        subtitle="Where your definitions come from. A broken location does not stop the others."
      />
      {locations.error && !locations.data ? (
        <ErrorBox error={locations.error} />
      ) : !locations.data ? (
        <Loading />
      ) : locations.data.length === 0 ? (
        <Empty title="No code locations">
          Add one to workspace.yaml, or start with <code>bosun dev -f definitions.ts</code>.
        </Empty>
      ) : (
        locations.data.map((l) => <LocationCard key={l.name} location={l} />)
      )}
    </>
  );
}

function LocationCard({ location }: { location: CodeLocation }) {
  const readOnly = !useCanChange("locations.reload", location.name);
  const reload = useReloadLocation();
  return (
    <section
      className={`card location ${location.status === "ERROR" ? "location-error" : ""}`}
      id={encodeURIComponent(location.name)}
      aria-labelledby={`loc-title-${location.name}`}
    >
      <div className="section-head">
        <h2 id={`loc-title-${location.name}`}>
          {location.name} <Pill tone={TONE[location.status]}>{location.status.toLowerCase()}</Pill>
        </h2>
        {!readOnly && (
          <button type="button" disabled={reload.isPending} onClick={() => reload.mutate(location.name)}>
            {reload.isPending ? "Reloading…" : `Reload ${location.name}`}
          </button>
        )}
      </div>
      <dl className="kv inline">
        <div>
          <dt>Server</dt>
          <dd className="mono">{location.address}</dd>
        </div>
        <div>
          <dt>Updated</dt>
          <dd>{formatRelative(location.updatedAt)}</dd>
        </div>
        <div>
          <dt>Defines</dt>
          <dd>
            {location.counts.jobs} jobs, {location.counts.assets} assets, {location.counts.schedules}{" "}
            schedules, {location.counts.sensors} sensors
          </dd>
        </div>
      </dl>
      {location.error && (
        <div className="load-error" role="alert">
          <h3>Load error</h3>
          <FailureView failure={location.error} openStack />
        </div>
      )}
      {reload.error && <ErrorBox error={reload.error} title="Reload failed" />}
    </section>
  );
}
