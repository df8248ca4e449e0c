import { useMemo, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ApiRequestError } from "../../api/client.ts";
import { useAsset, useAssets } from "../../api/queries.ts";
import type { AssetMaterialization, MetadataValue } from "../../api/types.ts";
import { type DagEdge, DagGraph, type DagNode } from "../../components/dag-graph.tsx";
import { formatDateTime, formatRelative, shortId } from "../../components/format.ts";
import { PageHeader, useDocumentTitle } from "../../components/page-header.tsx";
import { Empty, ErrorBox, Loading } from "../../components/states.tsx";
import { partitionKeysOf } from "../../config/partition-keys.ts";
import { MaterializeButton } from "./materialize-button.tsx";
import { MetadataChart } from "./metadata-chart.tsx";

export function AssetPage() {
  const params = useParams();
  const key = (params["*"] ?? "").replace(/\/+$/, "");
  useDocumentTitle(key);
  const asset = useAsset(key);
  const all = useAssets();
  const navigate = useNavigate();
  const definition = asset.data?.definitions[0] ?? null;
  const partitionKeys = useMemo(
    () => (definition?.partitions ? partitionKeysOf(definition.partitions, Date.now()) : []),
    [definition?.partitions],
  );
  const [chosenPartition, setChosenPartition] = useState<string | null>(null);
  // The newest partition unless one was chosen.
  const partition = chosenPartition ?? partitionKeys.at(-1) ?? null;

  const lineage = useMemo(() => {
    if (!definition || !all.data) return null;
    const byKey = new Map(all.data.map((a) => [a.key, a]));
    const nodes: DagNode[] = [];
    const edges: DagEdge[] = [];
    const add = (k: string, tone: DagNode["tone"]) => {
      if (nodes.some((n) => n.id === k)) return;
      nodes.push({ id: k, label: k, sublabel: byKey.get(k)?.group ?? "", tone });
    };
    add(definition.key, "accent");
    for (const u of definition.upstream) {
      add(u, "default");
      edges.push({ from: u, to: definition.key });
    }
    for (const d of definition.downstream) {
      add(d, "default");
      edges.push({ from: definition.key, to: d });
    }
    return { nodes, edges };
  }, [definition, all.data]);

  if (asset.error && !asset.data) {
    if (asset.error instanceof ApiRequestError && asset.error.status === 404)
      return (
        <Empty title={`No asset "${key}"`}>
          <Link to="/assets">Back to the catalog</Link>
        </Empty>
      );
    return <ErrorBox error={asset.error} />;
  }
  if (!asset.data) return <Loading label="Loading asset…" />;
  const history = asset.data.materializations;
  const latest = history[0] ?? null;

  return (
    <>
      <PageHeader
        kicker={
          <>
            <Link to="/assets">Assets</Link> /{definition && <> {definition.group} /</>}
          </>
        }
        title={key}
        subtitle={
          definition?.description ??
          (definition ? undefined : "No longer defined in any loaded code location")
        }
        actions={
          definition && (
            <>
              {definition.partitions && (
                <label className="field inline">
                  Partition
                  <select value={partition ?? ""} onChange={(e) => setChosenPartition(e.target.value)}>
                    {partitionKeys.length === 0 && <option value="">No partition has ended yet</option>}
                    {[...partitionKeys].reverse().map((k) => (
                      <option key={k} value={k}>
                        {k}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              <MaterializeButton
                location={definition.location}
                assetKeys={[definition.key]}
                label="Materialize"
                partitionKey={definition.partitions ? partition : null}
              />
              {definition.downstream.length > 0 && (
                <MaterializeButton
                  location={definition.location}
                  assetKeys={[definition.key, ...definition.downstream]}
                  label="Materialize with downstream"
                  partitionKey={definition.partitions ? partition : null}
                />
              )}
            </>
          )
        }
      />
      <dl className="stats">
        <div>
          <dt>Last materialized</dt>
          <dd>{latest ? formatRelative(latest.timestamp) : "never"}</dd>
        </div>
        <div>
          <dt>Materializations</dt>
          <dd>{history.length}</dd>
        </div>
        {definition && (
          <>
            <div>
              <dt>Code location</dt>
              <dd>{definition.location}</dd>
            </div>
            <div>
              <dt>IO manager</dt>
              <dd>{definition.ioManagerKey}</dd>
            </div>
            <div>
              <dt>Partitions</dt>
              <dd>{definition.partitions?.kind ?? "none"}</dd>
            </div>
          </>
        )}
      </dl>
      <div className="grid-2">
        <section className="card" aria-labelledby="lineage-title">
          <h2 id="lineage-title">Lineage</h2>
          {lineage && lineage.nodes.length > 1 ? (
            <DagGraph
              nodes={lineage.nodes}
              edges={lineage.edges}
              selected={key}
              onSelect={(k) => k !== key && navigate(`/assets/${k}`)}
              label={`Lineage of ${key}`}
              height={260}
            />
          ) : (
            <p className="muted">No upstream or downstream assets.</p>
          )}
          {definition && (
            <p className="small">
              Upstream:{" "}
              {definition.upstream.length === 0
                ? "none"
                : definition.upstream.map((u, i) => (
                    <span key={u}>
                      {i > 0 && ", "}
                      <Link to={`/assets/${u}`}>{u}</Link>
                    </span>
                  ))}
              {" · "}Downstream:{" "}
              {definition.downstream.length === 0
                ? "none"
                : definition.downstream.map((d, i) => (
                    <span key={d}>
                      {i > 0 && ", "}
                      <Link to={`/assets/${d}`}>{d}</Link>
                    </span>
                  ))}
            </p>
          )}
        </section>
        <section className="card" aria-labelledby="chart-title">
          <h2 id="chart-title">Metadata over time</h2>
          <MetadataChart materializations={history} />
        </section>
      </div>
      {latest && (
        <section className="card" aria-labelledby="latest-title">
          <h2 id="latest-title">Latest materialization</h2>
          <MetadataTable metadata={latest.metadata} />
        </section>
      )}
      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">Materialization history</h2>
        {history.length === 0 ? <Empty title="Never materialized" /> : <HistoryTable history={history} />}
      </section>
    </>
  );
}

function HistoryTable({ history }: { history: readonly AssetMaterialization[] }) {
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Run</th>
          <th scope="col">Partition</th>
          <th scope="col">Metadata</th>
        </tr>
      </thead>
      <tbody>
        {history.map((m) => (
          <tr key={m.seq}>
            <td>{formatDateTime(m.timestamp)}</td>
            <td>
              <Link to={`/runs/${m.runId}`} className="mono">
                {shortId(m.runId)}
              </Link>
            </td>
            <td>{m.partitionKey ?? "—"}</td>
            <td className="small">
              {Object.entries(m.metadata)
                .filter(([, v]) => v.type !== "table" && v.type !== "json")
                .map(([k, v]) => `${k}: ${inline(v)}`)
                .join(" · ")}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function inline(value: MetadataValue): string {
  switch (value.type) {
    case "table":
      return `${value.rows.length} rows`;
    case "json":
      return JSON.stringify(value.value);
    default:
      return String(value.value);
  }
}

function MetadataTable({ metadata }: { metadata: Readonly<Record<string, MetadataValue>> }) {
  const entries = Object.entries(metadata);
  if (entries.length === 0) return <p className="muted">No metadata.</p>;
  return (
    <dl className="kv metadata">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>
            {value.type === "table" ? (
              <table className="table compact">
                <thead>
                  <tr>
                    {value.columns.map((c) => (
                      <th key={c} scope="col">
                        {c}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {value.rows.slice(0, 20).map((row) => (
                    <tr key={JSON.stringify(row)}>
                      {row.map((cell, i) => (
                        <td key={`${value.columns[i] ?? i}`}>{String(cell)}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : value.type === "url" ? (
              <a href={value.value} rel="noreferrer" target="_blank">
                {value.value}
              </a>
            ) : value.type === "json" ? (
              <pre className="json">{JSON.stringify(value.value, null, 2)}</pre>
            ) : (
              <span className={value.type === "path" ? "mono" : ""}>{String(value.value)}</span>
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
