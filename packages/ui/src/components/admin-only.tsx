import type { ReactNode } from "react";
import { useHasInstancePermission } from "../api/queries.ts";
import { Empty, Loading } from "./states.tsx";

/**
 * A page for admins: its content renders (and queries the API) only once the caller is known to hold
 * `permission` on the whole instance. Others, who reach it by its address, get a short explanation;
 * the API refuses them anyway.
 */
export function AdminOnly({ permission, children }: { permission: string; children: ReactNode }) {
  const allowed = useHasInstancePermission(permission);
  if (allowed === undefined) return <Loading />;
  if (!allowed)
    return (
      <Empty title="Admins only">
        This page needs the <code>{permission}</code> permission on the whole instance, which the admin role
        holds.
      </Empty>
    );
  return <>{children}</>;
}
