import { useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { LOG_LEVELS, type RunEvent } from "../../api/types.ts";
import { formatClock } from "../../components/format.ts";
import { userWords } from "../../components/user-words.ts";
import { VirtualList } from "../../components/virtual-list.tsx";
import { filterEvents, parseEventFilter } from "./event-filter.ts";
import { EventTypePicker } from "./event-type-picker.tsx";

const ROW_HEIGHT = 28;

/** The run's event log: windowed, filterable by step, type, level and text (filters live in the URL). */
export function EventLog({
  events,
  stepKeys,
  live,
}: {
  events: readonly RunEvent[];
  stepKeys: readonly string[];
  live: boolean;
}) {
  const [search, setSearch] = useSearchParams();
  const filter = useMemo(() => parseEventFilter(search), [search]);
  const shown = useMemo(() => filterEvents(events, filter), [events, filter]);
  const [selected, setSelected] = useState<RunEvent | null>(null);

  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(search);
    if (value) next.set(key, value);
    else next.delete(key);
    setSearch(next, { replace: true });
  };
  const setTypes = (types: readonly string[]) => {
    const next = new URLSearchParams(search);
    next.delete("type");
    for (const type of types) next.append("type", type);
    setSearch(next, { replace: true });
  };

  return (
    <section className="card event-log" aria-labelledby="events-title">
      <div className="section-head">
        <h2 id="events-title">
          Event log{" "}
          <span className="count">
            {shown.length === events.length ? events.length : `${shown.length} of ${events.length}`}
          </span>
        </h2>
        <div className="event-filters">
          <label>
            Step
            <select value={filter.step} onChange={(e) => set("step", e.target.value)}>
              <option value="">All steps</option>
              {stepKeys.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
          <EventTypePicker chosen={filter.types} onChange={setTypes} />
          <label>
            Level
            <select value={filter.level} onChange={(e) => set("level", e.target.value)}>
              <option value="">Any level</option>
              {LOG_LEVELS.map((l) => (
                <option key={l} value={l}>
                  {l} and above
                </option>
              ))}
            </select>
          </label>
          <label>
            Search
            <input
              type="search"
              value={filter.query}
              placeholder="Text in messages"
              onChange={(e) => set("q", e.target.value)}
            />
          </label>
        </div>
      </div>
      {shown.length === 0 ? (
        <div className="state empty">
          {events.length === 0
            ? live
              ? "Waiting for events…"
              : "No events"
            : "No events match these filters"}
        </div>
      ) : (
        <>
          <div className="event-row event-head" aria-hidden="true">
            <span>Time</span>
            <span>Type</span>
            <span>Step</span>
            <span>Message</span>
          </div>
          <VirtualList
            items={shown}
            rowHeight={ROW_HEIGHT}
            height={Math.min(460, Math.max(120, shown.length * ROW_HEIGHT + 2))}
            getKey={(e) => e.seq}
            followEnd={live}
            label="Events"
            renderRow={(e) => (
              <button
                type="button"
                className={`event-row level-${e.level} ${selected?.seq === e.seq ? "selected" : ""}`}
                onClick={() => setSelected(selected?.seq === e.seq ? null : e)}
                aria-label={`${e.type} ${e.stepKey ?? ""}: ${userWords(e.message)}`}
              >
                <span className="mono muted">{formatClock(e.timestamp)}</span>
                <span className={`etype etype-${e.type.toLowerCase()}`}>{e.type}</span>
                <span className="mono step-cell" title={e.stepKey ?? ""}>
                  {e.stepKey ?? ""}
                </span>
                <span className="msg" title={userWords(e.message)}>
                  {userWords(e.message)}
                </span>
              </button>
            )}
          />
        </>
      )}
      {selected && (
        <section className="event-detail" aria-label="Event detail">
          <div className="section-head">
            <strong>
              #{selected.seq} {selected.type}
            </strong>
            <button type="button" className="link-button" onClick={() => setSelected(null)}>
              Close
            </button>
          </div>
          <p>{userWords(selected.message)}</p>
          <pre className="json">{JSON.stringify(selected.data, null, 2)}</pre>
        </section>
      )}
    </section>
  );
}
