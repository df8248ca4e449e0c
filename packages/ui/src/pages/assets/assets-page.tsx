import { useMemo } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useAssets } from "../../api/queries.ts";
import type { AssetListItem } from "../../api/types.ts";
import { type DagEdge, DagGraph, type DagNode } from "../../components/dag-graph.tsx";
import { formatDateTime, formatRelative } from "../../components/format.ts";
import { PageHeader, useDocumentTitle } from "../../components/page-header.tsx";
import { Empty, ErrorBox, Loading } from "../../components/states.tsx";
import { MaterializeButton } from "./materialize-button.tsx";
import { problemSummary } from "./partition-status.tsx";

export function AssetsPage() {
  useDocumentTitle("Assets");
  const assets = useAssets();
  const [search, setSearch] = useSearchParams();
  const query = search.get("q") ?? "";
  const group = search.get("group") ?? "";
  const view = search.get("view") === "graph" ? "graph" : "list";
  const selected = search.getAll("select");
  const navigate = useNavigate();

  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(search);
    if (value) next.set(key, value);
    else next.delete(key);
    setSearch(next, { replace: true });
  };
  const toggleSelect = (key: string) => {
    // The router renders a new URL in a transition: start from the address bar, so a second quick tick
    // keeps the first one.
    const next = new URLSearchParams(window.location.search);
    const current = next.getAll("select");
    next.delete("select");
    for (const k of current.includes(key) ? current.filter((s) => s !== key) : [...current, key])
      next.append("select", k);
    setSearch(next, { replace: true });
  };

  const all = assets.data ?? [];
  const groups = [...new Set(all.map((a) => a.group))].sort();
  const needle = query.trim().toLowerCase();
  const shown = all.filter(
    (a) =>
      (!group || a.group === group) &&
      (!needle ||
        a.key.toLowerCase().includes(needle) ||
        (a.description ?? "").toLowerCase().includes(needle)),
  );
  const selectedAssets = all.filter((a) => selected.includes(a.key));
  const selectionLocations = [...new Set(selectedAssets.map((a) => a.location))];

  return (
    <>
      <PageHeader
        title="Assets"
        subtitle="What your code produces, where it comes from, and when it was last materialized."
        actions={
          selectedAssets.length > 0 &&
          (selectionLocations.length === 1 ? (
            <MaterializeButton
              location={selectionLocations[0]!}
              assetKeys={selectedAssets.map((a) => a.key)}
              label={`Materialize selected (${selectedAssets.length})`}
            />
          ) : (
            <span className="field-error">
              Select assets of one code location to materialize them together.
            </span>
          ))
        }
      />
      <div className="toolbar">
        <label className="search">
          <span className="sr-only">Search assets</span>
          <input
            type="search"
            placeholder="Search assets"
            value={query}
            onChange={(e) => set("q", e.target.value)}
          />
        </label>
        <label>
          Group
          <select value={group} onChange={(e) => set("group", e.target.value)}>
            <option value="">All groups</option>
            {groups.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="segmented">
          <legend className="sr-only">View</legend>
          <button type="button" aria-pressed={view === "list"} onClick={() => set("view", null)}>
            List
          </button>
          <button type="button" aria-pressed={view === "graph"} onClick={() => set("view", "graph")}>
            Lineage graph
          </button>
        </fieldset>
      </div>
      {assets.error && !assets.data ? (
        <ErrorBox error={assets.error} title="Could not load assets" />
      ) : !assets.data ? (
        <Loading label="Loading assets…" />
      ) : shown.length === 0 ? (
        <Empty title={all.length === 0 ? "No assets defined" : "No asset matches"}>
          {all.length === 0
            ? "Assets come from the code locations' definitions."
            : "Try another search or group."}
        </Empty>
      ) : view === "graph" ? (
        <LineageGraph assets={shown} onOpen={(key) => navigate(`/assets/${key}`)} />
      ) : (
        groups
          .filter((g) => shown.some((a) => a.group === g))
          .map((g) => (
            <section key={g} className="card" aria-labelledby={`group-${g}`}>
              <h2 id={`group-${g}`}>
                <span className="muted">Group</span> {g}
              </h2>
              <AssetTable
                assets={shown.filter((a) => a.group === g)}
                selected={selected}
                onToggle={toggleSelect}
              />
            </section>
          ))
      )}
    </>
  );
}

function AssetTable({
  assets,
  selected,
  onToggle,
}: {
  assets: readonly AssetListItem[];
  selected: readonly string[];
  onToggle: (key: string) => void;
}) {
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">
            <span className="sr-only">Select</span>
          </th>
          <th scope="col">Asset</th>
          <th scope="col">Description</th>
          <th scope="col">Upstream</th>
          <th scope="col">Partitions</th>
          <th scope="col">Last materialized</th>
        </tr>
      </thead>
      <tbody>
        {assets.map((a) => (
          <tr key={`${a.location}:${a.key}`}>
            <td>
              <input
                type="checkbox"
                aria-label={`Select ${a.key}`}
                checked={selected.includes(a.key)}
                onChange={() => onToggle(a.key)}
              />
            </td>
            <td>
              <Link to={`/assets/${a.key}`}>
                <strong>{a.key}</strong>
              </Link>
              {a.partitions && <span className="muted small"> · {a.partitions.kind} partitions</span>}
            </td>
            <td className="muted">{a.description ?? ""}</td>
            <td className="small">{a.upstream.length > 0 ? a.upstream.join(", ") : "—"}</td>
            <td className={a.partitionCounts?.FAILED ? "small field-error" : "small"}>
              {a.partitionCounts ? problemSummary(a.partitionCounts) : "—"}
            </td>
            <td
              title={a.latestMaterialization ? formatDateTime(a.latestMaterialization.timestamp) : undefined}
            >
              {a.latestMaterialization ? (
                <Link to={`/runs/${a.latestMaterialization.runId}`}>
                  {formatRelative(a.latestMaterialization.timestamp)}
                </Link>
              ) : (
                <span className="muted">never</span>
              )}
              {a.lastAttempt?.status === "FAILED" && (
                <Link
                  to={`/runs/${a.lastAttempt.runId}`}
                  className="field-error small"
                  title={a.lastAttempt.error ?? ""}
                >
                  {" "}
                  · last attempt failed
                </Link>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function LineageGraph({
  assets,
  onOpen,
}: {
  assets: readonly AssetListItem[];
  onOpen: (key: string) => void;
}) {
  const { nodes, edges } = useMemo(() => {
    const keys = new Set(assets.map((a) => a.key));
    const nodes: DagNode[] = assets.map((a) => ({
      id: a.key,
      label: a.key,
      sublabel: `${a.group} · ${
        a.partitionCounts
          ? problemSummary(a.partitionCounts)
          : a.lastAttempt?.status === "FAILED"
            ? "last attempt failed"
            : a.latestMaterialization
              ? `materialized ${formatRelative(a.latestMaterialization.timestamp)}`
              : "never materialized"
      }`,
      tone:
        a.lastAttempt?.status === "FAILED" || a.partitionCounts?.FAILED
          ? "bad"
          : a.latestMaterialization
            ? "ok"
            : "muted",
    }));
    const edges: DagEdge[] = assets.flatMap((a) =>
      a.upstream.filter((u) => keys.has(u)).map((u) => ({ from: u, to: a.key })),
    );
    return { nodes, edges };
  }, [assets]);
  return (
    <section className="card" aria-label="Asset lineage">
      <DagGraph
        nodes={nodes}
        edges={edges}
        selected={null}
        onSelect={onOpen}
        label="Asset lineage graph"
        height={520}
      />
      <p className="muted small">Click an asset to open it.</p>
    </section>
  );
}
