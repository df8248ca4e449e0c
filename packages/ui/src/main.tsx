import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router";
import { ApiRequestError } from "./api/client.ts";
import { pathInDeployment, routerBasename } from "./api/deployment.ts";
import { App } from "./app/app.tsx";
import { prefetchForLocation } from "./app/prefetch.ts";
import "./styles.css";

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 2_000,
      // A 4xx will not change by asking again; an unreachable server will, and the banner says so meanwhile.
      retry: (count, error) => !(error instanceof ApiRequestError && error.status < 500) && count < 2,
      refetchOnWindowFocus: true,
    },
  },
});

prefetchForLocation(queryClient, pathInDeployment(window.location.pathname));

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter basename={routerBasename()}>
        <App />
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
