import { useEffect, useId, useState } from "react";
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
  // The chosen types live in the URL, which React Router updates in a transition: on a busy page a box
  // would stay unticked until then. Show the click at once; the URL catches up.
  const [ticked, setTicked] = useState<readonly string[]>(chosen);
  const chosenKey = chosen.join(",");
  // biome-ignore lint/correctness/useExhaustiveDependencies: follows the URL whenever its types change
  useEffect(() => setTicked(chosen), [chosenKey]);
  const summary =
    chosen.length === 0 ? "All types" : chosen.length === 1 ? chosen[0] : `${chosen.length} types`;
  const toggle = (type: string, on: boolean) => {
    const next = on
      ? EVENT_TYPES.filter((t) => t === type || ticked.includes(t))
      : ticked.filter((t) => t !== type);
    setTicked(next);
    onChange(next);
  };
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
                checked={ticked.includes(type)}
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
