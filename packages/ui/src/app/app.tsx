import { lazy, Suspense } from "react";
import { Route, Routes } from "react-router";
import { Loading } from "../components/states.tsx";
import { OverviewPage } from "../pages/overview/overview-page.tsx";
import { RunsPage } from "../pages/runs/runs-page.tsx";
import { Layout } from "./layout.tsx";
import { NotFoundPage } from "./not-found-page.tsx";

// Pages with graphs, charts or editors load on first visit; the shell, overview and runs list are in the entry.
const RunPage = lazy(() => import("../pages/run/run-page.tsx").then((m) => ({ default: m.RunPage })));
const JobsPage = lazy(() => import("../pages/jobs/jobs-page.tsx").then((m) => ({ default: m.JobsPage })));
const JobPage = lazy(() => import("../pages/jobs/job-page.tsx").then((m) => ({ default: m.JobPage })));
const AssetsPage = lazy(() =>
  import("../pages/assets/assets-page.tsx").then((m) => ({ default: m.AssetsPage })),
);
const AssetPage = lazy(() =>
  import("../pages/assets/asset-page.tsx").then((m) => ({ default: m.AssetPage })),
);
const AutomationPage = lazy(() =>
  import("../pages/automation/automation-page.tsx").then((m) => ({ default: m.AutomationPage })),
);
const InstigatorPage = lazy(() =>
  import("../pages/automation/instigator-page.tsx").then((m) => ({ default: m.InstigatorPage })),
);
const LocationsPage = lazy(() =>
  import("../pages/locations/locations-page.tsx").then((m) => ({ default: m.LocationsPage })),
);
const TokensPage = lazy(() =>
  import("../pages/tokens/tokens-page.tsx").then((m) => ({ default: m.TokensPage })),
);
const AuditPage = lazy(() => import("../pages/audit/audit-page.tsx").then((m) => ({ default: m.AuditPage })));
const DeploymentsPage = lazy(() =>
  import("../pages/deployments/deployments-page.tsx").then((m) => ({ default: m.DeploymentsPage })),
);
const DeploymentPage = lazy(() =>
  import("../pages/deployments/deployment-page.tsx").then((m) => ({ default: m.DeploymentPage })),
);
const QueuePage = lazy(() => import("../pages/queue/queue-page.tsx").then((m) => ({ default: m.QueuePage })));

/** Every page has a URL; filters live in its query string so a link shows what its sender saw. */
export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<OverviewPage />} />
        <Route path="runs" element={<RunsPage />} />
        <Route path="runs/:runId" element={<Lazy page={<RunPage />} />} />
        <Route path="jobs" element={<Lazy page={<JobsPage />} />} />
        <Route path="locations/:location/jobs/:job" element={<Lazy page={<JobPage />} />} />
        <Route path="assets" element={<Lazy page={<AssetsPage />} />} />
        <Route path="assets/*" element={<Lazy page={<AssetPage />} />} />
        <Route path="automation" element={<Lazy page={<AutomationPage />} />} />
        <Route path="automation/:kind/:location/:name" element={<Lazy page={<InstigatorPage />} />} />
        <Route path="locations" element={<Lazy page={<LocationsPage />} />} />
        <Route path="queue" element={<Lazy page={<QueuePage />} />} />
        <Route path="tokens" element={<Lazy page={<TokensPage />} />} />
        <Route path="audit" element={<Lazy page={<AuditPage />} />} />
        <Route path="deployments" element={<Lazy page={<DeploymentsPage />} />} />
        <Route path="deployments/:name" element={<Lazy page={<DeploymentPage />} />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

function Lazy({ page }: { page: React.ReactNode }) {
  return <Suspense fallback={<Loading label="Loading page…" />}>{page}</Suspense>;
}
