import { type FormEvent, useMemo, useState } from "react";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router";
import { useAllJobs, useRuns } from "../../api/queries.ts";
import { RUN_STATUSES } from "../../api/types.ts";
import { PageHeader, useDocumentTitle } from "../../components/page-header.tsx";
import { RunsTable } from "../../components/runs-table.tsx";
import { Empty, ErrorBox, Loading } from "../../components/states.tsx";
import { statusLabel } from "../../components/status-badge.tsx";
import {
  parseRunFilters,
  RANGE_PRESETS,
  type RangePreset,
  type RunFilters,
  runFiltersToQuery,
  runFiltersToSearch,
} from "./run-filters.ts";

const PAGE_SIZE = 50;

export function RunsPage() {
  useDocumentTitle("Runs");
  const [search, setSearch] = useSearchParams();
  const filters = parseRunFilters(search);
  const navigate = useNavigate();
  const location = useLocation();
  const pageStack = (location.state as { cursors?: string[] } | null)?.cursors ?? [];
  const minute = Math.floor(Date.now() / 60_000);
  // biome-ignore lint/correctness/useExhaustiveDependencies: recomputed once a minute so preset ranges move on
  const query = useMemo(() => runFiltersToQuery(filters, Date.now(), PAGE_SIZE), [search.toString(), minute]);
  const runs = useRuns(query, { live: !filters.cursor });

  const update = (change: Partial<RunFilters>) => {
    // The router renders a new URL in a transition, so `filters` can lag behind a click made just before
    // (a status chip, then a tag): start from the address bar, which already has it, to keep both.
    const latest = parseRunFilters(new URLSearchParams(window.location.search));
    // Any filter change starts from the first page again.
    setSearch(runFiltersToSearch({ ...latest, cursor: "", ...change }));
  };
  const active =
    filters.statuses.length > 0 || filters.job || filters.tags.length > 0 || filters.range !== "all";

  return (
    <>
      <PageHeader
        title="Runs"
        subtitle="Every run, newest first. Filters are kept in the address, so you can share or reload them."
      />
      <RunFilterBar filters={filters} update={update} />
      {active && (
        <div className="filter-summary">
          <button type="button" className="link-button" onClick={() => setSearch(new URLSearchParams())}>
            Clear all filters
          </button>
        </div>
      )}
      {runs.error && !runs.data ? (
        <ErrorBox error={runs.error} title="Could not load runs" />
      ) : !runs.data ? (
        <Loading label="Loading runs…" />
      ) : runs.data.runs.length === 0 ? (
        <Empty title={active ? "No runs match these filters" : "No runs yet"}>
          {active ? (
            "Try a wider time range or fewer filters."
          ) : (
            <>
              Launch one from a <Link to="/jobs">job's launchpad</Link>.
            </>
          )}
        </Empty>
      ) : (
        <div className={runs.isPlaceholderData ? "stale" : ""}>
          <RunsTable runs={runs.data.runs} caption="Runs" />
        </div>
      )}
      <nav className="pager" aria-label="Pages of runs">
        <button
          type="button"
          disabled={!filters.cursor}
          onClick={() => (pageStack.length > 0 ? navigate(-1) : update({}))}
        >
          ← Newer
        </button>
        {filters.cursor && (
          <button type="button" className="link-button" onClick={() => update({})}>
            First page
          </button>
        )}
        <button
          type="button"
          disabled={!runs.data?.nextCursor}
          onClick={() => {
            const next = runs.data?.nextCursor;
            if (!next) return;
            navigate(`/runs?${runFiltersToSearch({ ...filters, cursor: next })}`, {
              state: { cursors: [...pageStack, filters.cursor] },
            });
          }}
        >
          Older →
        </button>
      </nav>
    </>
  );
}

function RunFilterBar({
  filters,
  update,
}: {
  filters: RunFilters;
  update: (change: Partial<RunFilters>) => void;
}) {
  const jobs = useAllJobs();
  const [tagDraft, setTagDraft] = useState("");
  const [tagError, setTagError] = useState<string | null>(null);
  const jobNames = [...new Set(jobs.jobs.map((j) => j.name))].sort();

  const addTag = (event: FormEvent) => {
    event.preventDefault();
    const tag = tagDraft.trim();
    if (!/^[^=]+=/.test(tag)) {
      setTagError("Write a tag as key=value");
      return;
    }
    setTagError(null);
    setTagDraft("");
    if (!filters.tags.includes(tag)) update({ tags: [...filters.tags, tag] });
  };

  return (
    <section className="filters" aria-label="Filters">
      <fieldset className="status-filter">
        <legend>Status</legend>
        {RUN_STATUSES.map((status) => {
          const on = filters.statuses.includes(status);
          return (
            <button
              key={status}
              type="button"
              className={`chip status-chip status-${status.toLowerCase()} ${on ? "on" : ""}`}
              aria-pressed={on}
              onClick={() =>
                update({
                  statuses: on ? filters.statuses.filter((s) => s !== status) : [...filters.statuses, status],
                })
              }
            >
              {statusLabel(status)}
            </button>
          );
        })}
      </fieldset>
      <div className="filter-row">
        <label>
          Job
          <select value={filters.job} onChange={(e) => update({ job: e.target.value })}>
            <option value="">Any job</option>
            {jobNames.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
            {filters.job && !jobNames.includes(filters.job) && (
              <option value={filters.job}>{filters.job}</option>
            )}
          </select>
        </label>
        <label>
          Created
          <select value={filters.range} onChange={(e) => update({ range: e.target.value as RangePreset })}>
            {Object.entries(RANGE_PRESETS).map(([key, preset]) => (
              <option key={key} value={key}>
                {preset.label}
              </option>
            ))}
          </select>
        </label>
        {filters.range === "custom" && (
          <>
            <label>
              From
              <input
                type="datetime-local"
                value={filters.createdAfter}
                onChange={(e) => update({ createdAfter: e.target.value })}
              />
            </label>
            <label>
              To
              <input
                type="datetime-local"
                value={filters.createdBefore}
                onChange={(e) => update({ createdBefore: e.target.value })}
              />
            </label>
          </>
        )}
        <form className="tag-form" onSubmit={addTag}>
          <label>
            Tag
            <input
              value={tagDraft}
              onChange={(e) => setTagDraft(e.target.value)}
              placeholder="key=value"
              aria-invalid={tagError !== null}
              aria-describedby={tagError ? "tag-error" : undefined}
            />
          </label>
          <button type="submit">Add tag filter</button>
          {tagError && (
            <span id="tag-error" className="field-error" role="alert">
              {tagError}
            </span>
          )}
        </form>
      </div>
      {filters.tags.length > 0 && (
        <ul className="tags" aria-label="Tag filters">
          {filters.tags.map((tag) => (
            <li key={tag} className="tag removable">
              {tag}
              <button
                type="button"
                aria-label={`Remove tag filter ${tag}`}
                onClick={() => update({ tags: filters.tags.filter((t) => t !== tag) })}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
