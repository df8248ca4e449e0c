/**
 * The session's CSRF token, sent in `X-Bosun-CSRF` on every mutating call: with auth on, a call the
 * session cookie authenticates is refused without it. It is read once from `GET /api/auth/me` (null when
 * the caller has no session: auth off, or a token). Kept here rather than in the query cache so the
 * request function can wait for it without a React hook.
 */
let token: Promise<string | null> | null = null;

/** Remembers the token `GET /api/auth/me` answered (the `useMe` query calls this). */
export function rememberCsrfToken(value: string | null): void {
  token = Promise.resolve(value);
}

/** The header to send on a mutating call: empty when there is no session. */
export async function csrfHeaders(): Promise<Record<string, string>> {
  token ??= fetch("/api/auth/me", { headers: { accept: "application/json" } })
    .then(async (response) => (response.ok ? ((await response.json()).csrfToken ?? null) : null))
    .catch(() => {
      token = null;
      return null;
    });
  const value = await token;
  return value ? { "x-bosun-csrf": value } : {};
}
