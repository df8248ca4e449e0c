import { Link } from "react-router";
import { deploymentHome } from "../../api/deployment.ts";
import { useDeployments } from "../../api/queries.ts";
import type { Deployment } from "../../api/types.ts";
import { formatRelative } from "../../components/format.ts";
import { PageHeader, useDocumentTitle } from "../../components/page-header.tsx";
import { ErrorBox, Loading } from "../../components/states.tsx";
import { Pill } from "../../components/status-badge.tsx";

/** Every deployment with its status, branch, commit and pull request; a branch links to what it changes. */
export function DeploymentsPage() {
  useDocumentTitle("Deployments");
  const deployments = useDeployments();
  return (
    <>
      <PageHeader
        title="Deployments"
        subtitle="prod, and a branch deployment for each branch CI pushed (bosun deployment create)."
      />
      {deployments.error && !deployments.data ? (
        <ErrorBox error={deployments.error} />
      ) : !deployments.data ? (
        <Loading />
      ) : (
        <table className="table" aria-label="Deployments">
          <thead>
            <tr>
              <th>Name</th>
              <th>Status</th>
              <th>Branch</th>
              <th>Base</th>
              <th>Commit</th>
              <th>Pull request</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {deployments.data.map((d) => (
              <DeploymentRow key={d.name} deployment={d} />
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function DeploymentRow({ deployment: d }: { deployment: Deployment }) {
  return (
    <tr>
      <td>
        {d.kind === "branch" ? (
          <Link to={`/deployments/${encodeURIComponent(d.name)}`}>{d.name}</Link>
        ) : (
          d.name
        )}{" "}
        <a className="small" href={deploymentHome(d.name)}>
          open
        </a>
      </td>
      <td>
        <Pill tone={d.status === "open" ? "ok" : "muted"}>{d.status}</Pill>
      </td>
      <td className="mono">{d.branch ?? "—"}</td>
      <td>{d.base ?? "—"}</td>
      <td className="mono">{d.commit?.slice(0, 12) ?? "—"}</td>
      <td>
        {d.pullRequestUrl ? (
          <a href={d.pullRequestUrl} target="_blank" rel="noreferrer">
            {d.pullRequestUrl.replace(/^https?:\/\//, "")}
          </a>
        ) : (
          "—"
        )}
      </td>
      <td>{formatRelative(d.updatedAt)}</td>
    </tr>
  );
}
