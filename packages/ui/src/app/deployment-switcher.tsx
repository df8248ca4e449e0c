import { currentDeployment, deploymentHome } from "../api/deployment.ts";
import { useDeployments } from "../api/queries.ts";

/**
 * Which deployment the UI shows, and a way to switch: choosing one loads its home page (`/d/<name>/`),
 * so nothing cached from one deployment shows in another. Hidden while the registry cannot be read
 * (a webserver serving prod alone).
 */
export function DeploymentSwitcher() {
  const deployments = useDeployments();
  const current = currentDeployment();
  if (!deployments.data) return null;
  const shown = deployments.data.find((d) => d.name === current);
  return (
    <div className="deployment-switcher">
      <label htmlFor="deployment-switcher">Deployment</label>
      <select
        id="deployment-switcher"
        value={current}
        onChange={(event) => window.location.assign(deploymentHome(event.target.value))}
      >
        {deployments.data.map((d) => (
          <option key={d.name} value={d.name}>
            {d.name}
            {d.status === "closed" ? " (closed)" : ""}
          </option>
        ))}
      </select>
      {shown?.status === "closed" && <div className="badge tone-muted">Closed: read-only</div>}
    </div>
  );
}
