import { useMemo } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { useCanChange, useJob, useRuns } from "../../api/queries.ts";
import type { JobDetail, OpNode } from "../../api/types.ts";
import { type DagEdge, DagGraph, type DagNode } from "../../components/dag-graph.tsx";
import { PageHeader, useDocumentTitle } from "../../components/page-header.tsx";
import { describeRetryPolicy, parseRetryPolicy } from "../../components/retry-policy.ts";
import { RunsTable } from "../../components/runs-table.tsx";
import { Empty, ErrorBox, Loading } from "../../components/states.tsx";
import { TagList } from "../../components/tags.tsx";
import { Launchpad } from "./launchpad.tsx";

const TABS = [
  { id: "graph", label: "Op graph" },
  { id: "launchpad", label: "Launchpad" },
  { id: "runs", label: "Runs" },
] as const;
type Tab = (typeof TABS)[number]["id"];

export function JobPage() {
  const { location = "", job: jobName = "" } = useParams();
  useDocumentTitle(jobName);
  const job = useJob(location, jobName);
  const readOnly = !useCanChange("runs.launch", location);
  const [search, setSearch] = useSearchParams();
  const requested = search.get("tab");
  const tab: Tab = TABS.some((t) => t.id === requested) ? (requested as Tab) : "graph";
  const tabs = TABS.filter((t) => t.id !== "launchpad" || !readOnly);

  const setTab = (id: Tab) => {
    const next = new URLSearchParams(search);
    if (id === "graph") next.delete("tab");
    else next.set("tab", id);
    next.delete("op");
    setSearch(next);
  };

  return (
    <>
      <PageHeader
        kicker={
          <>
            <Link to="/jobs">Jobs</Link> / {location} /
          </>
        }
        title={jobName}
        subtitle={job.data?.description ?? undefined}
        actions={
          !readOnly &&
          tab !== "launchpad" && (
            <button type="button" className="primary" onClick={() => setTab("launchpad")}>
              Open launchpad
            </button>
          )
        }
      />
      <div className="tabs" role="tablist" aria-label="Job views">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {job.error && !job.data ? (
          <ErrorBox error={job.error} title="Could not load this job" />
        ) : !job.data ? (
          <Loading label="Loading job…" />
        ) : tab === "launchpad" && !readOnly ? (
          <Launchpad job={job.data} />
        ) : tab === "runs" ? (
          <JobRuns job={job.data} />
        ) : (
          <OpGraph job={job.data} />
        )}
      </div>
    </>
  );
}

function JobRuns({ job }: { job: JobDetail }) {
  const runs = useRuns({ job: job.name, limit: 50 });
  if (runs.error && !runs.data) return <ErrorBox error={runs.error} />;
  if (!runs.data) return <Loading />;
  if (runs.data.runs.length === 0) return <Empty title="This job has not run yet" />;
  return (
    <>
      <RunsTable runs={runs.data.runs} caption={`Runs of ${job.name}`} />
      <Link className="more" to={`/runs?job=${encodeURIComponent(job.name)}`}>
        All runs of {job.name} →
      </Link>
    </>
  );
}

function OpGraph({ job }: { job: JobDetail }) {
  const [search, setSearch] = useSearchParams();
  const selected = search.get("op");
  const { nodes, edges } = useMemo(() => {
    const nodes: DagNode[] = job.nodes.map((n) => ({
      id: n.name,
      label: n.name,
      sublabel: [
        n.opName !== n.name ? n.opName : null,
        n.assetKey ? `asset ${n.assetKey}` : null,
        n.configSchema ? "config" : null,
        n.retryPolicy ? "retries" : null,
      ]
        .filter(Boolean)
        .join(" · "),
      tone: n.assetKey ? "accent" : "default",
    }));
    const edges: DagEdge[] = job.edges.map((e) => ({ from: e.from, to: e.to, label: e.input }));
    for (const input of job.assetInputs) {
      const id = `asset:${input.asset}`;
      if (!nodes.some((n) => n.id === id))
        nodes.push({ id, label: input.asset, sublabel: "source asset", tone: "muted" });
      edges.push({ from: id, to: input.to, label: input.input });
    }
    return { nodes, edges };
  }, [job]);
  const node = job.nodes.find((n) => n.name === selected) ?? null;
  const select = (id: string) => {
    const next = new URLSearchParams(search);
    if (id === selected) next.delete("op");
    else next.set("op", id);
    setSearch(next, { replace: true });
  };
  return (
    <div className="graph-layout">
      <section className="card graph-card" aria-label="Op graph">
        <DagGraph
          nodes={nodes}
          edges={edges}
          selected={selected}
          onSelect={select}
          label={`Op graph of ${job.name}`}
          height={460}
        />
        <details className="graph-list">
          <summary>Steps as a list ({job.nodes.length})</summary>
          <ul>
            {job.nodes.map((n) => (
              <li key={n.name}>
                <button type="button" className="link-button" onClick={() => select(n.name)}>
                  {n.name}
                </button>
                {Object.values(n.inputs).flatMap((i) => i.fromSteps ?? []).length > 0 && (
                  <span className="muted small">
                    {" "}
                    ←{" "}
                    {Object.values(n.inputs)
                      .flatMap((i) => i.fromSteps ?? [])
                      .join(", ")}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </details>
      </section>
      <aside className="card side-panel" aria-label="Details">
        {node ? <OpDetails node={node} /> : <JobDetails job={job} />}
      </aside>
    </div>
  );
}

function JobDetails({ job }: { job: JobDetail }) {
  return (
    <>
      <h2>{job.name}</h2>
      <p className="muted">Select an op in the graph to see its inputs, outputs and config.</p>
      <dl className="kv">
        <div>
          <dt>Steps</dt>
          <dd>{job.nodes.length}</dd>
        </div>
        <div>
          <dt>Executor</dt>
          <dd>{job.executor?.name ?? "default"}</dd>
        </div>
        <div>
          <dt>Partitions</dt>
          <dd>{job.partitions ? job.partitions.kind : "none"}</dd>
        </div>
      </dl>
      <h3>Tags</h3>
      <TagList tags={job.tags} linkToRuns={false} />
    </>
  );
}

function OpDetails({ node }: { node: OpNode }) {
  return (
    <>
      <h2 className="mono">{node.name}</h2>
      {node.description && <p>{node.description}</p>}
      <dl className="kv">
        <div>
          <dt>Op</dt>
          <dd>{node.opName}</dd>
        </div>
        {node.assetKey && (
          <div>
            <dt>Asset</dt>
            <dd>
              <Link to={`/assets/${node.assetKey}`}>{node.assetKey}</Link>
            </dd>
          </div>
        )}
        <div>
          <dt>Inputs</dt>
          <dd>
            {Object.entries(node.inputs).length === 0
              ? "none"
              : Object.entries(node.inputs)
                  .map(
                    ([name, src]) =>
                      `${name} ← ${[...(src.fromSteps ?? []), ...(src.fromAsset ? [`asset ${src.fromAsset}`] : [])].join(", ")}`,
                  )
                  .join("; ")}
          </dd>
        </div>
        <div>
          <dt>Outputs</dt>
          <dd>{node.outputs.join(", ") || "none"}</dd>
        </div>
        {node.retryPolicy !== null && (
          <div>
            <dt>Retry policy</dt>
            <dd title={JSON.stringify(node.retryPolicy)}>
              <RetryPolicyText policy={node.retryPolicy} />
            </dd>
          </div>
        )}
      </dl>
      <h3>Config schema</h3>
      {node.configSchema ? (
        <pre className="json">{JSON.stringify(node.configSchema, null, 2)}</pre>
      ) : (
        <p className="muted">Takes no config.</p>
      )}
    </>
  );
}

/** The policy in words; its JSON when it is not a policy this UI can read. */
function RetryPolicyText({ policy }: { policy: OpNode["retryPolicy"] }) {
  const parsed = parseRetryPolicy(policy);
  return parsed ? describeRetryPolicy(parsed) : <span className="mono">{JSON.stringify(policy)}</span>;
}
