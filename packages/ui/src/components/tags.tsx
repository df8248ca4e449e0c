import { Link } from "react-router";
import { isSystemTag, SYSTEM_TAG_LABELS } from "./system-tags.ts";

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

/**
 * The tags Bosun put on a run (`bosun/...`), each under what it means; the raw key stays in the tooltip
 * and each links to the runs that share it.
 */
export function SystemTags({ tags }: { tags: Readonly<Record<string, string>> }) {
  const known = Object.keys(SYSTEM_TAG_LABELS);
  // Known tags in their listed order, then any newer ones alphabetically.
  const rank = (key: string) => (known.includes(key) ? known.indexOf(key) : known.length);
  const entries = Object.entries(tags)
    .filter(([key]) => isSystemTag(key))
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
  if (entries.length === 0) return null;
  return (
    <>
      <h3>Set by Bosun</h3>
      <dl className="kv" aria-label="System tags">
        {entries.map(([key, value]) => (
          <div key={key} title={`${key}=${value}`}>
            <dt>{SYSTEM_TAG_LABELS[key] ?? key.slice("bosun/".length).replaceAll("_", " ")}</dt>
            <dd className="mono">
              <Link to={`/runs?${new URLSearchParams({ tag: `${key}=${value}` }).toString()}`}>{value}</Link>
            </dd>
          </div>
        ))}
      </dl>
    </>
  );
}
