import { useMemo, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ApiRequestError } from "../../api/client.ts";
import { useAsset, useAssetPartitions, useAssets } from "../../api/queries.ts";
import type { AssetAttempt, AssetMaterialization, MetadataValue, PartitionStatus } from "../../api/types.ts";
import { type DagEdge, DagGraph, type DagNode } from "../../components/dag-graph.tsx";
import { formatDateTime, formatRelative, shortId } from "../../components/format.ts";
import { PageHeader, useDocumentTitle } from "../../components/page-header.tsx";
import { Empty, ErrorBox, Loading } from "../../components/states.tsx";
import { Pill } from "../../components/status-badge.tsx";
import { partitionKeysOf } from "../../config/partition-keys.ts";
import { MaterializeButton } from "./materialize-button.tsx";
import { MetadataChart } from "./metadata-chart.tsx";
import { PartitionGrid } from "./partition-grid.tsx";
import { PARTITION_STATUS_LABELS, PartitionStatusBar, problemSummary } from "./partition-status.tsx";

/** The picker lists at most this many keys, newest first; the grid pages through the rest. */
const PICKER_KEYS = 2000;

export function AssetPage() {
  const params = useParams();
  const key = (params["*"] ?? "").replace(/\/+$/, "");
  useDocumentTitle(key);
  const asset = useAsset(key);
  const all = useAssets();
  const navigate = useNavigate();
  const definition = asset.data?.definitions[0] ?? null;
  const partitionKeys = useMemo(
    () => (definition?.partitions ? partitionKeysOf(definition.partitions, Date.now(), PICKER_KEYS) : []),
    [definition?.partitions],
  );
  const [chosenPartition, setChosenPartition] = useState<string | null>(null);
  // The newest partition unless one was chosen (the keys come newest first).
  const partition = chosenPartition ?? partitionKeys[0] ?? null;
  const [statusFilter, setStatusFilter] = useState<PartitionStatus[]>([]);
  const toggleStatus = (status: PartitionStatus) =>
    setStatusFilter((current) =>
      current.includes(status) ? current.filter((s) => s !== status) : [...current, status],
    );

  const lineage = useMemo(() => {
    if (!definition || !all.data) return null;
    const byKey = new Map(all.data.map((a) => [a.key, a]));
    const nodes: DagNode[] = [];
    const edges: DagEdge[] = [];
    const add = (k: string, tone: DagNode["tone"]) => {
      if (nodes.some((n) => n.id === k)) return;
      const item = byKey.get(k);
      const counts = item?.partitionCounts;
      const sublabel = [item?.group ?? "", counts ? problemSummary(counts) : ""].filter(Boolean).join(" · ");
      nodes.push({ id: k, label: k, sublabel, tone });
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
                <PartitionPicker
                  assetKey={definition.key}
                  keys={partitionKeys}
                  value={partition}
                  onChange={setChosenPartition}
                />
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
        {asset.data.lastAttempt && (
          <div>
            <dt>Last attempt</dt>
            <dd>
              <LastAttempt attempt={asset.data.lastAttempt} />
            </dd>
          </div>
        )}
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
      {asset.data.lastAttempt?.status === "FAILED" && asset.data.lastAttempt.error && (
        <ErrorBox
          error={new Error(asset.data.lastAttempt.error)}
          title={`The last attempt${asset.data.lastAttempt.partitionKey ? ` (partition ${asset.data.lastAttempt.partitionKey})` : ""} failed`}
        />
      )}
      {asset.data.partitionStatus && (
        <section className="card" aria-labelledby="partitions-title">
          <h2 id="partitions-title">Materialization status</h2>
          <PartitionStatusBar
            summary={asset.data.partitionStatus}
            filter={statusFilter}
            onToggle={toggleStatus}
          />
          <PartitionGrid
            assetKey={key}
            filter={statusFilter}
            selected={partition}
            onSelect={setChosenPartition}
          />
        </section>
      )}
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
        {history.length === 0 ? (
          <Empty title="Never materialized">
            {asset.data.lastAttempt?.status === "FAILED" ? "The last attempt failed: see above." : undefined}
          </Empty>
        ) : (
          <HistoryTable history={history} />
        )}
      </section>
    </>
  );
}

/** The partition picker: newest first, each key with its status. */
function PartitionPicker({
  assetKey,
  keys,
  value,
  onChange,
}: {
  assetKey: string;
  keys: readonly string[];
  value: string | null;
  onChange: (key: string) => void;
}) {
  const statuses = useAssetPartitions(assetKey, { limit: PICKER_KEYS });
  const statusOf = new Map((statuses.data?.partitions ?? []).map((p) => [p.key, p.status]));
  return (
    <label className="field inline">
      Partition
      <select value={value ?? ""} onChange={(e) => onChange(e.target.value)}>
        {keys.length === 0 && <option value="">No partition has ended yet</option>}
        {keys.map((k) => {
          const status = statusOf.get(k);
          return (
            <option key={k} value={k}>
              {status ? `${k} · ${PARTITION_STATUS_LABELS[status]}` : k}
            </option>
          );
        })}
      </select>
    </label>
  );
}

/** "Failed 3 minutes ago" (or materialized, in progress), linked to the run. */
function LastAttempt({ attempt }: { attempt: AssetAttempt }) {
  const tone = attempt.status === "FAILED" ? "bad" : attempt.status === "MATERIALIZED" ? "ok" : "info";
  return (
    <Link to={`/runs/${attempt.runId}`} title={formatDateTime(attempt.updatedAt)}>
      <Pill tone={tone}>{PARTITION_STATUS_LABELS[attempt.status]}</Pill> {formatRelative(attempt.updatedAt)}
      {attempt.partitionKey && <span className="muted small"> · {attempt.partitionKey}</span>}
    </Link>
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
