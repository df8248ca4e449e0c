import { useSearchParams } from "react-router";
import { useSchedules, useSensors } from "../../api/queries.ts";
import { PageHeader, useDocumentTitle } from "../../components/page-header.tsx";
import { InstigatorTable } from "./instigator-table.tsx";

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
      <InstigatorTable
        kind="schedule"
        title="Schedules"
        rows={schedules.data?.filter(match)}
        error={schedules.error}
        detail={{
          header: "Cron",
          cell: (s) => (
            <>
              <code>{s.cron}</code> <span className="muted small">{s.timezone}</span>
            </>
          ),
        }}
        next={{ header: "Next tick", at: (s) => s.nextTickAt }}
      />
      <InstigatorTable
        kind="sensor"
        title="Sensors"
        rows={sensors.data?.filter(match)}
        error={sensors.error}
        detail={{ header: "Every", cell: (s) => `${s.minimumIntervalSeconds} s` }}
        next={{ header: "Next evaluation", at: (s) => s.nextEvaluationAt }}
      />
    </>
  );
}
