import type { JsonValue } from "../../api/types.ts";

/**
 * What the run launcher recorded about where the run runs. For Kubernetes runs: the Job and its pods with
 * their states (filled in by the Kubernetes launcher); for local runs: the process. Unknown keys show as-is.
 */
export function LauncherInfo({ info }: { info: Readonly<Record<string, JsonValue>> }) {
  const entries = Object.entries(info);
  if (entries.length === 0)
    return <p className="muted">The launcher has not reported anything about this run yet.</p>;
  const pods = Array.isArray(info.pods) ? (info.pods as JsonValue[]) : null;
  const rest = entries.filter(([key]) => key !== "pods");
  return (
    <div className="launcher-info">
      <dl className="kv">
        {rest.map(([key, value]) => (
          <div key={key}>
            <dt>{key}</dt>
            <dd className="mono">
              {typeof value === "object" && value !== null ? (
                // Structured facts (such as the merged Kubernetes config) stay readable.
                <pre className="launcher-json">{JSON.stringify(value, null, 2)}</pre>
              ) : (
                String(value)
              )}
            </dd>
          </div>
        ))}
      </dl>
      {pods && pods.length > 0 && (
        <table className="table compact">
          <caption>Pods</caption>
          <thead>
            <tr>
              <th scope="col">Pod</th>
              <th scope="col">Phase</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {pods.map((pod, i) => {
              const p = (pod && typeof pod === "object" && !Array.isArray(pod) ? pod : {}) as Record<
                string,
                JsonValue
              >;
              const name = String(p.name ?? `pod ${i + 1}`);
              return (
                <tr key={name}>
                  <td className="mono">{name}</td>
                  <td>{String(p.phase ?? p.status ?? "—")}</td>
                  <td className="small">{String(p.reason ?? p.message ?? "")}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
