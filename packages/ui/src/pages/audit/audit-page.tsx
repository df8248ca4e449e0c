import { type FormEvent, useEffect, useState } from "react";
import { useLocation, useNavigate, useSearchParams } from "react-router";
import { useAudit } from "../../api/queries.ts";
import type { AuditEntry } from "../../api/types.ts";
import { AdminOnly } from "../../components/admin-only.tsx";
import { formatDateTime } from "../../components/format.ts";
import { PageHeader, useDocumentTitle } from "../../components/page-header.tsx";
import { Empty, ErrorBox, Loading } from "../../components/states.tsx";
import { Pill } from "../../components/status-badge.tsx";
import {
  AUDIT_PAGE_SIZE,
  type AuditFilters,
  auditFiltersFromSearch,
  auditFiltersToSearch,
  auditQuery,
} from "./audit-filters.ts";

/** The audit log (admin): every mutating API call, allowed or denied, newest first, filtered and paged. */
export function AuditPage() {
  useDocumentTitle("Audit log");
  return (
    <>
      <PageHeader
        title="Audit log"
        subtitle="Every change made through the API, allowed or denied: who, what, on which object, when and from where."
      />
      <AdminOnly permission="audit.view">
        <AuditLog />
      </AdminOnly>
    </>
  );
}

function AuditLog() {
  const [search, setSearch] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const filters = auditFiltersFromSearch(search);
  // The cursors of the newer pages, so "Newer" goes back the way "Older" came.
  const pageStack = (location.state as { befores?: string[] } | null)?.befores ?? [];
  const audit = useAudit(auditQuery(filters));
  const update = (change: Partial<AuditFilters>) =>
    setSearch(auditFiltersToSearch({ ...filters, before: "", ...change }));
  const entries = audit.data;
  const active = Boolean(filters.actor || filters.action || filters.decision);
  const last = entries?.at(-1);
  return (
    <>
      <AuditFilterBar filters={filters} update={update} />
      {audit.error && !entries ? (
        <ErrorBox error={audit.error} />
      ) : !entries ? (
        <Loading />
      ) : entries.length === 0 ? (
        <Empty title={active ? "No entries match these filters" : "Nothing audited yet"}>
          {active ? "Try fewer filters." : "Changes made through the API appear here once auth is on."}
        </Empty>
      ) : (
        <div className={audit.isPlaceholderData ? "stale" : ""}>
          <AuditTable entries={entries} />
        </div>
      )}
      <nav className="pager" aria-label="Pages of the audit log">
        <button
          type="button"
          disabled={!filters.before}
          onClick={() => (pageStack.length > 0 ? navigate(-1) : update({}))}
        >
          ← Newer
        </button>
        {filters.before && (
          <button type="button" className="link-button" onClick={() => update({})}>
            Newest
          </button>
        )}
        <button
          type="button"
          disabled={!last || (entries?.length ?? 0) < AUDIT_PAGE_SIZE}
          onClick={() => {
            if (!last) return;
            navigate(`/audit?${auditFiltersToSearch({ ...filters, before: String(last.id) })}`, {
              state: { befores: [...pageStack, filters.before] },
            });
          }}
        >
          Older →
        </button>
      </nav>
    </>
  );
}

function AuditFilterBar({
  filters,
  update,
}: {
  filters: AuditFilters;
  update: (change: Partial<AuditFilters>) => void;
}) {
  // Text filters apply on Enter or "Filter", not on every keystroke.
  const [actor, setActor] = useState(filters.actor);
  const [action, setAction] = useState(filters.action);
  useEffect(() => setActor(filters.actor), [filters.actor]);
  useEffect(() => setAction(filters.action), [filters.action]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update({ actor: actor.trim(), action: action.trim() });
  };
  return (
    <section className="filters" aria-label="Filters">
      <form className="filter-row" onSubmit={submit}>
        <label>
          Actor
          <input value={actor} placeholder="token or user name" onChange={(e) => setActor(e.target.value)} />
        </label>
        <label>
          Action
          <input value={action} placeholder="e.g. terminate" onChange={(e) => setAction(e.target.value)} />
        </label>
        <label>
          Outcome
          <select
            value={filters.decision}
            onChange={(e) => update({ decision: e.target.value as AuditFilters["decision"] })}
          >
            <option value="">Allowed or denied</option>
            <option value="allowed">Allowed</option>
            <option value="denied">Denied</option>
          </select>
        </label>
        <button type="submit">Filter</button>
        {(filters.actor || filters.action || filters.decision) && (
          <button
            type="button"
            className="link-button"
            onClick={() => update({ actor: "", action: "", decision: "" })}
          >
            Clear filters
          </button>
        )}
      </form>
    </section>
  );
}

function AuditTable({ entries }: { entries: readonly AuditEntry[] }) {
  return (
    <table className="table audit-table">
      <caption className="sr-only">Audit log</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Actor</th>
          <th scope="col">Action</th>
          <th scope="col">Object</th>
          <th scope="col">Outcome</th>
          <th scope="col">From</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <tr key={entry.id} data-audit-id={entry.id}>
            <td>{formatDateTime(entry.at)}</td>
            <td>
              {entry.actor}
              <div className="muted small">{entry.actorKind}</div>
            </td>
            <td>
              <code>{entry.action}</code>
              {entry.permission && <div className="muted small">needs {entry.permission}</div>}
            </td>
            <td>{entry.object ?? <span className="muted">—</span>}</td>
            <td>
              <Pill tone={entry.decision === "allowed" ? (entry.statusCode < 400 ? "ok" : "warn") : "bad"}>
                {entry.decision} · {entry.statusCode}
              </Pill>
              {entry.reason && <div className="muted small">{entry.reason}</div>}
            </td>
            <td className="mono small">{entry.address ?? "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
