import type { QueryClient } from "@tanstack/react-query";
import { api, seg } from "../api/client.ts";
import { keys } from "../api/queries.ts";
import type { Run } from "../api/types.ts";

/**
 * A deep link's data and code, asked for before React's first render: on a cold load of `/runs/<id>` the run
 * and the run page's chunk arrive in parallel with the entry's start-up instead of after it.
 */
export function prefetchForLocation(client: QueryClient, pathname: string): void {
  const run = /^\/runs\/([^/]+)\/?$/.exec(pathname);
  if (run?.[1]) {
    const id = decodeURIComponent(run[1]);
    void client.prefetchQuery({
      queryKey: keys.run(id),
      queryFn: () => api.get<{ run: Run }>(`/api/runs/${seg(id)}`).then((r) => r.run),
    });
    void import("../pages/run/run-page.tsx");
  }
}
