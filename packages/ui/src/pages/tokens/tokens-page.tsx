import { ROLES, type Role } from "@bosun/core";
import { type FormEvent, useState } from "react";
import { useCreateToken, useLocations, useRevokeToken, useTokens } from "../../api/queries.ts";
import type { ApiToken } from "../../api/types.ts";
import { AdminOnly } from "../../components/admin-only.tsx";
import { formatDateTime, formatRelative } from "../../components/format.ts";
import { PageHeader, useDocumentTitle } from "../../components/page-header.tsx";
import { Empty, ErrorBox, Loading } from "../../components/states.tsx";
import { Pill } from "../../components/status-badge.tsx";
import { NewTokenSecret } from "./new-token-secret.tsx";
import { expirySeconds, TOKEN_EXPIRY_CHOICES } from "./token-expiry.ts";

/** API tokens (admin): create one (its secret shown once), list them, revoke one after a confirmation. */
export function TokensPage() {
  useDocumentTitle("API tokens");
  return (
    <>
      <PageHeader
        title="API tokens"
        subtitle="For scripts, CI and agents: sent as Authorization: Bearer. Bosun keeps only a hash of each."
      />
      <AdminOnly permission="tokens.manage">
        <TokenManager />
      </AdminOnly>
    </>
  );
}

function TokenManager() {
  const [showRevoked, setShowRevoked] = useState(false);
  const tokens = useTokens(showRevoked);
  const create = useCreateToken();
  const created = create.data;
  return (
    <>
      {created ? (
        <NewTokenSecret token={created.token} secret={created.secret} onDone={() => create.reset()} />
      ) : (
        <CreateTokenForm create={create} />
      )}
      <section className="card" aria-labelledby="tokens-title">
        <div className="section-head">
          <h2 id="tokens-title">{showRevoked ? "All tokens" : "Tokens in force"}</h2>
          <label className="inline-check">
            <input type="checkbox" checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} />
            Show revoked
          </label>
        </div>
        {tokens.error && !tokens.data ? (
          <ErrorBox error={tokens.error} />
        ) : !tokens.data ? (
          <Loading />
        ) : tokens.data.length === 0 ? (
          <Empty title="No tokens">
            Create one above, or with <code>bosun token create</code>.
          </Empty>
        ) : (
          <TokensTable tokens={tokens.data} />
        )}
      </section>
    </>
  );
}

function CreateTokenForm({ create }: { create: ReturnType<typeof useCreateToken> }) {
  const locations = useLocations();
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [location, setLocation] = useState("");
  const [expiry, setExpiry] = useState<string>("90d");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({
      name: name.trim(),
      role,
      location: location || null,
      expiresInSeconds: expirySeconds(expiry),
    });
  };
  return (
    <section className="card" aria-labelledby="create-token-title">
      <h2 id="create-token-title">Create a token</h2>
      <form className="filter-row token-form" onSubmit={submit}>
        <label>
          Name
          <input
            required
            value={name}
            maxLength={100}
            placeholder="ci"
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label>
          Location
          <select value={location} onChange={(e) => setLocation(e.target.value)}>
            <option value="">All (the whole instance)</option>
            {(locations.data ?? []).map((l) => (
              <option key={l.name} value={l.name}>
                {l.name} only
              </option>
            ))}
          </select>
        </label>
        <label>
          Expires after
          <select value={expiry} onChange={(e) => setExpiry(e.target.value)}>
            {TOKEN_EXPIRY_CHOICES.map((c) => (
              <option key={c.key} value={c.key}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary" disabled={create.isPending || name.trim() === ""}>
          {create.isPending ? "Creating…" : "Create token"}
        </button>
      </form>
      {create.error && <ErrorBox error={create.error} title="Could not create the token" />}
    </section>
  );
}

function TokensTable({ tokens }: { tokens: readonly ApiToken[] }) {
  const now = Date.now();
  return (
    <table className="table tokens-table">
      <caption className="sr-only">API tokens</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Role</th>
          <th scope="col">Kind</th>
          <th scope="col">Location</th>
          <th scope="col">Created</th>
          <th scope="col">Expires</th>
          <th scope="col">Last used</th>
          <th scope="col">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {tokens.map((token) => (
          <TokenRow key={token.id} token={token} now={now} />
        ))}
      </tbody>
    </table>
  );
}

function TokenRow({ token, now }: { token: ApiToken; now: number }) {
  const revoke = useRevokeToken();
  const [confirming, setConfirming] = useState(false);
  const expired = token.expiresAt !== null && Date.parse(token.expiresAt) <= now;
  return (
    <tr data-token={token.name}>
      <td>
        <strong>{token.name}</strong>
        {token.createdBy && <div className="muted small">by {token.createdBy}</div>}
      </td>
      <td>{token.role}</td>
      <td>{token.kind}</td>
      <td>{token.location ?? <span className="muted">all locations</span>}</td>
      <td title={formatDateTime(token.createdAt)}>{formatRelative(token.createdAt, now)}</td>
      <td title={token.expiresAt ? formatDateTime(token.expiresAt) : undefined}>
        {token.expiresAt === null ? "never" : formatRelative(token.expiresAt, now)}
        {expired && <Pill tone="warn">expired</Pill>}
      </td>
      <td title={token.lastUsedAt ? formatDateTime(token.lastUsedAt) : undefined}>
        {token.lastUsedAt ? formatRelative(token.lastUsedAt, now) : <span className="muted">never</span>}
      </td>
      <td className="token-actions">
        {token.revokedAt !== null ? (
          <Pill tone="muted">revoked {formatRelative(token.revokedAt, now)}</Pill>
        ) : confirming ? (
          <fieldset aria-label={`Confirm revoking ${token.name}`} className="confirm-row">
            <span>Revoke {token.name}? Whatever uses it stops working at once.</span>
            <button
              type="button"
              className="danger"
              disabled={revoke.isPending}
              onClick={() => revoke.mutate(token.id)}
            >
              {revoke.isPending ? "Revoking…" : "Yes, revoke"}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </fieldset>
        ) : (
          <button type="button" aria-label={`Revoke ${token.name}`} onClick={() => setConfirming(true)}>
            Revoke
          </button>
        )}
        {revoke.error && <ErrorBox error={revoke.error} title="Could not revoke" />}
      </td>
    </tr>
  );
}
