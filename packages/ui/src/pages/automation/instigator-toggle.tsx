import { useCanChange, useToggleInstigator } from "../../api/queries.ts";
import type { InstigatorKind, InstigatorStatus } from "../../api/types.ts";
import { userWords } from "../../components/user-words.ts";

/** An on/off switch for a schedule or sensor (a real checkbox with role="switch"); read-only shows the state. */
export function InstigatorToggle({
  kind,
  location,
  name,
  status,
}: {
  kind: InstigatorKind;
  location: string;
  name: string;
  status: InstigatorStatus;
}) {
  const readOnly = !useCanChange("instigators.manage", location);
  const toggle = useToggleInstigator(kind);
  const on = toggle.isPending ? toggle.variables.start : status === "RUNNING";
  return (
    <label className={`switch ${readOnly ? "readonly" : ""}`}>
      <input
        type="checkbox"
        role="switch"
        aria-checked={on}
        checked={on}
        disabled={readOnly || toggle.isPending}
        aria-label={`${name} ${kind} ${on ? "running" : "stopped"}`}
        onChange={(e) => toggle.mutate({ location, name, start: e.target.checked })}
      />
      <span className="switch-track" aria-hidden="true" />
      <span className="switch-text">{on ? "Running" : "Stopped"}</span>
      {toggle.error && (
        <span className="field-error" role="alert">
          {userWords(toggle.error.message)}
        </span>
      )}
    </label>
  );
}
