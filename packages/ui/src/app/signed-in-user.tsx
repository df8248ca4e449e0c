import { api } from "../api/client.ts";
import type { AuthMe } from "../api/types.ts";

/** "admin", "launcher on finance": a grant as people read it. */
function describeGrant(grant: AuthMe["grants"][number]): string {
  return grant.location === null ? grant.role : `${grant.role} on ${grant.location}`;
}

/** The sidebar's line about who is signed in, with their roles and a sign-out button (sessions only). */
export function SignedInUser({ me }: { readonly me: AuthMe }) {
  if (!me.authEnabled) return null;
  const signOut = async () => {
    try {
      await api.post("/auth/logout");
    } finally {
      window.location.assign("/");
    }
  };
  return (
    <div className="signed-in-user">
      <div title={me.email ?? undefined}>{me.name}</div>
      <div>{me.grants.map(describeGrant).join(", ") || "no role"}</div>
      {me.kind === "session" && (
        <button type="button" className="link-button" onClick={() => void signOut()}>
          Sign out
        </button>
      )}
    </div>
  );
}
