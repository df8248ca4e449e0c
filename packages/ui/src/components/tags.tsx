import { Link } from "react-router";

/** Tags as chips; each links to the runs list filtered by it. */
export function TagList({
  tags,
  linkToRuns = true,
}: {
  tags: Readonly<Record<string, unknown>>;
  linkToRuns?: boolean;
}) {
  const entries = Object.entries(tags);
  if (entries.length === 0) return <span className="muted">No tags</span>;
  return (
    <ul className="tags" aria-label="Tags">
      {entries.map(([key, raw]) => {
        const value = typeof raw === "string" ? raw : JSON.stringify(raw);
        const text = `${key}=${value}`;
        const shown = text.length > 80 ? `${text.slice(0, 77)}…` : text;
        return (
          <li key={key} className="tag" title={text}>
            {linkToRuns && typeof raw === "string" ? (
              <Link to={`/runs?${new URLSearchParams({ tag: text }).toString()}`}>{shown}</Link>
            ) : (
              shown
            )}
          </li>
        );
      })}
    </ul>
  );
}
