import { parseCookie, stringifySetCookie } from "cookie";

/** The sign-in session cookie: the session id, HttpOnly so no script (nor an XSS) can read it. */
export const SESSION_COOKIE = "bosun_session";

/** Holds state, nonce and PKCE verifier between `/auth/login` and `/auth/callback`. */
export const SIGN_IN_COOKIE = "bosun_sign_in";

/** How the webserver's cookies are sent: Secure when people reach it over https. */
export interface CookiePolicy {
  readonly secure: boolean;
}

/** A cookie's value from a `Cookie` header; undefined when absent. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  return parseCookie(header)[name];
}

/**
 * A `Set-Cookie` header: always HttpOnly and SameSite=Lax (sent on the provider's redirect back, a
 * top-level GET, but not on cross-site POSTs), Secure under an https public URL.
 */
export function setCookie(
  policy: CookiePolicy,
  cookie: {
    readonly name: string;
    readonly value: string;
    readonly path: string;
    readonly maxAgeSeconds: number;
  },
): string {
  return stringifySetCookie({
    name: cookie.name,
    value: cookie.value,
    path: cookie.path,
    maxAge: cookie.maxAgeSeconds,
    httpOnly: true,
    sameSite: "lax",
    secure: policy.secure,
  });
}

/** A `Set-Cookie` header that deletes the cookie. */
export function clearCookie(policy: CookiePolicy, name: string, path: string): string {
  return setCookie(policy, { name, value: "", path, maxAgeSeconds: 0 });
}
