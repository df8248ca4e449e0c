import { useParams } from "react-router";
import { deploymentHome } from "../../api/deployment.ts";
import { useDeploymentChanges, useDeployments } from "../../api/queries.ts";
import type { DeploymentChanges } from "../../api/types.ts";
import { PageHeader, useDocumentTitle } from "../../components/page-header.tsx";
import { Empty, ErrorBox, Loading } from "../../components/states.tsx";
import { Pill } from "../../components/status-badge.tsx";

type Changed = DeploymentChanges["assets"][number];

const TONE = { added: "ok", removed: "bad", changed: "warn" } as const;

/** A branch deployment: its branch, commit and pull request, and the assets and jobs it changes against its base. */
export function DeploymentPage() {
  const name = useParams().name ?? "";
  useDocumentTitle(`Deployment ${name}`);
  const deployment = useDeployments().data?.find((d) => d.name === name);
  const changes = useDeploymentChanges(name);
  return (
    <>
      <PageHeader
        kicker="Deployment"
        title={name}
        subtitle={
          deployment ? (
            <>
              {deployment.branch && <span className="mono">{deployment.branch}</span>}
              {deployment.commit && <span className="mono"> @ {deployment.commit.slice(0, 12)}</span>}{" "}
              <Pill tone={deployment.status === "open" ? "ok" : "muted"}>{deployment.status}</Pill>
              {deployment.pullRequestUrl && (
                <>
                  {" "}
                  <a href={deployment.pullRequestUrl} target="_blank" rel="noreferrer">
                    pull request
                  </a>
                </>
              )}
            </>
          ) : undefined
        }
        actions={<a href={deploymentHome(name)}>Open {name}</a>}
      />
      {changes.error && !changes.data ? (
        <ErrorBox error={changes.error} />
      ) : !changes.data ? (
        <Loading />
      ) : (
        <>
          <ChangeList title={`Changed assets against ${changes.data.base}`} items={changes.data.assets} />
          <ChangeList title={`Changed jobs against ${changes.data.base}`} items={changes.data.jobs} />
          {changes.data.unavailable.deployment.length + changes.data.unavailable.base.length > 0 && (
            <p className="muted small">
              Left out, their definitions not loaded:{" "}
              {[...changes.data.unavailable.deployment, ...changes.data.unavailable.base].join(", ")}
            </p>
          )}
        </>
      )}
    </>
  );
}

function ChangeList({ title, items }: { title: string; items: readonly Changed[] }) {
  return (
    <section className="card" aria-label={title}>
      <h2>{title}</h2>
      {items.length === 0 ? (
        <Empty title="No changes" />
      ) : (
        <ul className="change-list">
          {items.map((item) => (
            <li key={`${item.location}/${item.name}`}>
              <Pill tone={TONE[item.change.kind]}>{item.change.kind}</Pill>{" "}
              <span className="mono">{item.name}</span>{" "}
              <span className="muted small">
                in {item.location}
                {item.change.kind === "changed" &&
                  ` (${item.change.changed.map((c) => (c === "codeVersion" ? "code version" : "definition")).join(", ")})`}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
