import { useId, useState } from "react";
import { EVENT_TYPES } from "../../api/types.ts";

/**
 * The event log's type filter: any number of event types, chosen with checkboxes in a popover (a
 * `<select multiple>` is hard to use with a mouse). No type chosen shows every type.
 */
export function EventTypePicker({
  chosen,
  onChange,
}: {
  chosen: readonly string[];
  onChange: (types: readonly string[]) => void;
}) {
  const [open, setOpen] = useState(false);
  const listId = useId();
  const summary =
    chosen.length === 0 ? "All types" : chosen.length === 1 ? chosen[0] : `${chosen.length} types`;
  const toggle = (type: string, on: boolean) =>
    onChange(
      on ? EVENT_TYPES.filter((t) => t === type || chosen.includes(t)) : chosen.filter((t) => t !== type),
    );
  return (
    <div className="type-picker">
      <span className="picker-label">Types</span>
      <button type="button" aria-expanded={open} aria-controls={listId} onClick={() => setOpen(!open)}>
        {summary}
      </button>
      {open && (
        <fieldset id={listId} className="popover type-list">
          <legend>Event types shown</legend>
          {EVENT_TYPES.map((type) => (
            <label key={type} className="check">
              <input
                type="checkbox"
                checked={chosen.includes(type)}
                onChange={(e) => toggle(type, e.target.checked)}
              />
              {type}
            </label>
          ))}
          <div className="row">
            <button type="button" disabled={chosen.length === 0} onClick={() => onChange([])}>
              All types
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              Done
            </button>
          </div>
        </fieldset>
      )}
    </div>
  );
}
