import { LOG_LEVELS, type LogLevel, type RunEvent } from "../../api/types.ts";

/** The event log's filters, kept in the run page's URL (`?step=a&type=STEP_FAILURE&level=error&q=boom`). */
export interface EventFilter {
  readonly step: string;
  readonly types: readonly string[];
  /** Minimum level shown. */
  readonly level: LogLevel | "";
  readonly query: string;
}

export function parseEventFilter(search: URLSearchParams): EventFilter {
  const level = search.get("level") ?? "";
  return {
    step: search.get("step") ?? "",
    types: search.getAll("type"),
    level: (LOG_LEVELS as readonly string[]).includes(level) ? (level as LogLevel) : "",
    query: search.get("q") ?? "",
  };
}

export function filterEvents(events: readonly RunEvent[], filter: EventFilter): readonly RunEvent[] {
  const noFilter = !filter.step && filter.types.length === 0 && !filter.level && !filter.query;
  if (noFilter) return events;
  const minLevel = filter.level ? LOG_LEVELS.indexOf(filter.level) : 0;
  const types = new Set(filter.types);
  const needle = filter.query.trim().toLowerCase();
  return events.filter(
    (e) =>
      (!filter.step || e.stepKey === filter.step) &&
      (types.size === 0 || types.has(e.type)) &&
      LOG_LEVELS.indexOf(e.level) >= minLevel &&
      (!needle ||
        e.message.toLowerCase().includes(needle) ||
        e.type.toLowerCase().includes(needle) ||
        (e.stepKey?.toLowerCase().includes(needle) ?? false)),
  );
}
