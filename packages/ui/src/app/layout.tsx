import { useEffect, useState } from "react";
import { Link, Outlet, useLocation } from "react-router";
import { ApiRequestError } from "../api/client.ts";
import { useLocations, useMe, useQueue, useServerInfo } from "../api/queries.ts";
import { ConnectionBanner } from "./connection-banner.tsx";
import { DeploymentSwitcher } from "./deployment-switcher.tsx";
import { navItemOf, visibleNav } from "./nav-items.ts";
import { SignInPage } from "./sign-in-page.tsx";
import { SignedInUser } from "./signed-in-user.tsx";

export function Layout() {
  const me = useMe();
  const info = useServerInfo();
  const locations = useLocations();
  const queue = useQueue();
  const { pathname } = useLocation();
  const current = navItemOf(pathname);
  // On a narrow screen the navigation is a menu under the top bar; it closes once a page is chosen.
  const [menuOpen, setMenuOpen] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: closes on every page change
  useEffect(() => setMenuOpen(false), [pathname]);
  const broken = (locations.data ?? []).filter((l) => l.status === "ERROR").length;
  if (me.error instanceof ApiRequestError && me.error.status === 401) return <SignInPage />;
  const counts: Record<string, number | undefined> = {
    "/locations": broken || undefined,
    "/queue": queue.data ? queue.data.queuedCount + queue.data.inProgressCount || undefined : undefined,
  };
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className={`sidebar ${menuOpen ? "menu-open" : ""}`}>
        <div className="brand">
          <svg viewBox="0 0 32 32" width="26" height="26" aria-hidden="true">
            <rect width="32" height="32" rx="7" fill="#1f4e79" />
            <path d="M7 20h18l-3 5H10z" fill="#fff" />
            <path d="M16 5v13M16 6l7 9h-7z" stroke="#fff" strokeWidth="2" fill="#9cc3e6" />
          </svg>
          <span>Bosun</span>
          <button
            type="button"
            className="menu-button"
            aria-expanded={menuOpen}
            aria-controls="main-nav"
            onClick={() => setMenuOpen(!menuOpen)}
          >
            {menuOpen ? "Close" : "Menu"}
            {current && <span className="sr-only"> (on {current.label})</span>}
          </button>
        </div>
        <DeploymentSwitcher />
        <nav aria-label="Main" id="main-nav">
          <ul>
            {visibleNav(me.data?.instancePermissions).map((item) => (
              <li key={item.to}>
                <Link
                  to={item.to}
                  className={item === current ? "active" : undefined}
                  aria-current={item === current ? "page" : undefined}
                >
                  <span>{item.label}</span>
                  {counts[item.to] !== undefined && (
                    <span className={`nav-count ${item.to === "/locations" ? "bad" : ""}`}>
                      {counts[item.to]}
                      <span className="sr-only">{item.to === "/locations" ? " with errors" : " active"}</span>
                    </span>
                  )}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar-foot">
          {me.data && <SignedInUser me={me.data} />}
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
