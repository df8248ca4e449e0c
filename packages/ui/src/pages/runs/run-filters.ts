import { RUN_STATUSES, type RunStatus } from "../../api/types.ts";

/**
 * The runs list's filters as they live in the URL (`/runs?status=FAILURE&tag=team=data&range=24h`), and
 * the API query they become. Unknown values in a hand-edited URL are dropped rather than sent.
 */
export interface RunFilters {
  readonly statuses: readonly RunStatus[];
  readonly job: string;
  readonly tags: readonly string[];
  /** A preset window ending now, or "custom" for the explicit bounds below. */
  readonly range: RangePreset;
  readonly createdAfter: string;
  readonly createdBefore: string;
  readonly cursor: string;
}

export const RANGE_PRESETS = {
  all: { label: "Any time", ms: null },
  "1h": { label: "Last hour", ms: 3_600_000 },
  "24h": { label: "Last 24 hours", ms: 86_400_000 },
  "7d": { label: "Last 7 days", ms: 7 * 86_400_000 },
  "30d": { label: "Last 30 days", ms: 30 * 86_400_000 },
  custom: { label: "Custom…", ms: null },
} as const;
export type RangePreset = keyof typeof RANGE_PRESETS;

export function parseRunFilters(search: URLSearchParams): RunFilters {
  const range = search.get("range") ?? "all";
  return {
    statuses: search
      .getAll("status")
      .filter((s): s is RunStatus => (RUN_STATUSES as readonly string[]).includes(s)),
    job: search.get("job") ?? "",
    tags: search.getAll("tag").filter((t) => /^[^=]+=/.test(t)),
    range: range in RANGE_PRESETS ? (range as RangePreset) : "all",
    createdAfter: search.get("createdAfter") ?? "",
    createdBefore: search.get("createdBefore") ?? "",
    cursor: search.get("cursor") ?? "",
  };
}

export function runFiltersToSearch(filters: RunFilters): URLSearchParams {
  const search = new URLSearchParams();
  for (const status of filters.statuses) search.append("status", status);
  if (filters.job) search.set("job", filters.job);
  for (const tag of filters.tags) search.append("tag", tag);
  if (filters.range !== "all") search.set("range", filters.range);
  if (filters.range === "custom") {
    if (filters.createdAfter) search.set("createdAfter", filters.createdAfter);
    if (filters.createdBefore) search.set("createdBefore", filters.createdBefore);
  }
  if (filters.cursor) search.set("cursor", filters.cursor);
  return search;
}

/** `datetime-local` values are local wall-clock times; the API wants ISO instants. */
function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

export function runFiltersToQuery(filters: RunFilters, now: number, limit: number) {
  const preset = RANGE_PRESETS[filters.range];
  return {
    status: filters.statuses,
    job: filters.job || undefined,
    tag: filters.tags,
    createdAfter:
      preset.ms !== null
        ? // Rounded to the minute, so the query key (and cache) is stable while the page polls.
          new Date(Math.floor((now - preset.ms) / 60_000) * 60_000).toISOString()
        : filters.range === "custom"
          ? localToIso(filters.createdAfter)
          : undefined,
    createdBefore: filters.range === "custom" ? localToIso(filters.createdBefore) : undefined,
    cursor: filters.cursor || undefined,
    limit,
  };
}
