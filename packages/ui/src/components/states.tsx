import type { ReactNode } from "react";
import { ApiRequestError, UnreachableError } from "../api/client.ts";
import { userWords } from "./user-words.ts";

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="state loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state empty">
      <strong>{title}</strong>
      {children && <div className="muted">{children}</div>}
    </div>
  );
}

/** An error from a query: the API's message (and code), or that the webserver is unreachable. */
export function ErrorBox({ error, title = "Could not load this" }: { error: unknown; title?: string }) {
  let message = String(error);
  let code: string | null = null;
  if (error instanceof ApiRequestError) {
    message = error.message;
    code = error.code;
  } else if (error instanceof UnreachableError) {
    message = "The webserver is not answering. This page refreshes by itself once it is back.";
  } else if (error instanceof Error) {
    message = error.message;
  }
  return (
    <div className="state error" role="alert">
      <strong>{title}</strong>
      <div>
        {userWords(message)}
        {code && <code className="code-tag">{code}</code>}
      </div>
    </div>
  );
}

/** Renders loading, error or the content of a query. */
export function QueryView<T>({
  query,
  children,
  loadingLabel,
}: {
  query: { data: T | undefined; error: unknown; isPending: boolean };
  children: (data: T) => ReactNode;
  loadingLabel?: string;
}) {
  if (query.data !== undefined) return <>{children(query.data)}</>;
  if (query.error) return <ErrorBox error={query.error} />;
  return <Loading {...(loadingLabel ? { label: loadingLabel } : {})} />;
}
