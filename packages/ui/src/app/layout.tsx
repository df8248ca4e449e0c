import { NavLink, Outlet } from "react-router";
import { useLocations, useQueue, useServerInfo } from "../api/queries.ts";
import { ConnectionBanner } from "./connection-banner.tsx";

const NAV: readonly { to: string; label: string; end?: boolean }[] = [
  { to: "/", label: "Overview", end: true },
  { to: "/runs", label: "Runs" },
  { to: "/jobs", label: "Jobs" },
  { to: "/assets", label: "Assets" },
  { to: "/automation", label: "Schedules & sensors" },
  { to: "/locations", label: "Code locations" },
  { to: "/queue", label: "Queue" },
];

export function Layout() {
  const info = useServerInfo();
  const locations = useLocations();
  const queue = useQueue();
  const broken = (locations.data ?? []).filter((l) => l.status === "ERROR").length;
  const counts: Record<string, number | undefined> = {
    "/locations": broken || undefined,
    "/queue": queue.data ? queue.data.queuedCount + queue.data.inProgressCount || undefined : undefined,
  };
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="brand">
          <svg viewBox="0 0 32 32" width="26" height="26" aria-hidden="true">
            <rect width="32" height="32" rx="7" fill="#1f4e79" />
            <path d="M7 20h18l-3 5H10z" fill="#fff" />
            <path d="M16 5v13M16 6l7 9h-7z" stroke="#fff" strokeWidth="2" fill="#9cc3e6" />
          </svg>
          <span>Bosun</span>
        </div>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.end ?? false}>
                  <span>{item.label}</span>
                  {counts[item.to] !== undefined && (
                    <span className={`nav-count ${item.to === "/locations" ? "bad" : ""}`}>
                      {counts[item.to]}
                      <span className="sr-only">{item.to === "/locations" ? " with errors" : " active"}</span>
                    </span>
                  )}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar-foot">
          {info.data && (
            <>
              <div>v{info.data.version}</div>
              {info.data.readOnly && <div className="badge tone-warn">Read-only</div>}
              <div className="muted small" title="Storage">
                {info.data.storage}
              </div>
            </>
          )}
        </div>
      </aside>
      <div className="main-column">
        <ConnectionBanner />
        {info.data?.readOnly && (
          <div className="banner banner-info" role="note">
            This webserver is read-only: launching, terminating and toggling are turned off.
          </div>
        )}
        <main id="main" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </div>
  );
}
