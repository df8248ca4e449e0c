import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useSyncExternalStore } from "react";
import { connection } from "../api/connection.ts";

/**
 * A banner across the top while the webserver does not answer. It checks `/api/health` every few seconds
 * and, once the server is back, refreshes every query so the pages catch up.
 */
export function ConnectionBanner() {
  const down = useSyncExternalStore(connection.subscribe, connection.snapshot);
  const client = useQueryClient();
  useEffect(() => {
    if (!down) return;
    const timer = window.setInterval(() => {
      fetch("/api/health", { cache: "no-store" })
        .then((response) => {
          if (response.ok) {
            connection.reportSuccess();
            void client.invalidateQueries();
          }
        })
        .catch(() => undefined);
    }, 3_000);
    return () => window.clearInterval(timer);
  }, [down, client]);
  if (!down) return null;
  return (
    <div className="banner banner-down" role="alert">
      <strong>Cannot reach the Bosun webserver.</strong> Showing what was last loaded; retrying every few
      seconds. Check that <code>bosun dev</code> (or the webserver) is still running.
    </div>
  );
}
