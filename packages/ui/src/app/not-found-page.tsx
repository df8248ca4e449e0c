import { Link, useLocation } from "react-router";
import { PageHeader, useDocumentTitle } from "../components/page-header.tsx";

export function NotFoundPage() {
  useDocumentTitle("Not found");
  const location = useLocation();
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        Nothing lives at <code>{location.pathname}</code>. <Link to="/">Go to the overview</Link>.
      </p>
    </>
  );
}
