/**
 * The audit page's filters, kept in the address's query string (`/audit?actor=ci&decision=denied`) so a
 * link shows what its sender saw; `before` is the page cursor (the id the page starts below).
 */
export interface AuditFilters {
  readonly actor: string;
  readonly action: string;
  readonly decision: "" | "allowed" | "denied";
  readonly before: string;
}

/** Entries per page. */
export const AUDIT_PAGE_SIZE = 50;

export function auditFiltersFromSearch(search: URLSearchParams): AuditFilters {
  const decision = search.get("decision");
  const before = search.get("before") ?? "";
  return {
    actor: search.get("actor")?.trim() ?? "",
    action: search.get("action")?.trim() ?? "",
    decision: decision === "allowed" || decision === "denied" ? decision : "",
    before: /^[1-9][0-9]*$/.test(before) ? before : "",
  };
}

export function auditFiltersToSearch(filters: AuditFilters): URLSearchParams {
  const search = new URLSearchParams();
  if (filters.actor) search.set("actor", filters.actor);
  if (filters.action) search.set("action", filters.action);
  if (filters.decision) search.set("decision", filters.decision);
  if (filters.before) search.set("before", filters.before);
  return search;
}

/** The query `GET /api/audit` takes for these filters. */
export function auditQuery(filters: AuditFilters): Record<string, string | number | undefined> {
  return {
    limit: AUDIT_PAGE_SIZE,
    actor: filters.actor || undefined,
    action: filters.action || undefined,
    decision: filters.decision || undefined,
    beforeId: filters.before ? Number(filters.before) : undefined,
  };
}
