import type { FastifyInstance, FastifyRequest } from "fastify";
import { ApiError } from "../api/api-error.ts";
import { clearCookie, readCookie, SESSION_COOKIE, SIGN_IN_COOKIE, setCookie } from "../auth/cookies.ts";
import { decodePendingSignIn, encodePendingSignIn, type OidcSignIn } from "../auth/oidc-sign-in.ts";
import { grantsFromClaims, userNameFromClaims } from "../auth/roles-from-claims.ts";
import type { WebserverContext } from "../server/webserver-context.ts";

/** The sign-in cookie lives only as long as someone may take to sign in at the provider. */
const SIGN_IN_MAX_AGE_SECONDS = 10 * 60;
const SIGN_IN_PATH = "/auth/";

/** Where people reach this webserver: the public URL, else what the request says. */
function baseUrl(ctx: WebserverContext, request: FastifyRequest): string {
  return (ctx.publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, "");
}

function signInOrUnavailable(ctx: WebserverContext): OidcSignIn {
  if (ctx.signIn === null)
    throw new ApiError(
      "NOT_FOUND",
      "sign-in is not configured on this instance (auth.oidc in bosun.yaml); use an API token",
    );
  return ctx.signIn;
}

/**
 * Sign-in through OpenID Connect: `GET /auth/login` sends the browser to the provider, `GET
 * /auth/callback` checks its answer and starts a session (a new session id each time: the id a
 * browser had before signing in is never promoted), `POST /auth/logout` ends it. Public by design in
 * `ROUTE_ACCESS`, except logout, which needs the session (and its CSRF token).
 */
export function registerSignInRoutes(app: FastifyInstance, ctx: WebserverContext): void {
  app.get("/auth/login", async (request, reply) => {
    const signIn = signInOrUnavailable(ctx);
    const { url, pending } = await signIn.start(`${baseUrl(ctx, request)}/auth/callback`);
    void reply.header(
      "set-cookie",
      setCookie(ctx.cookiePolicy, {
        name: SIGN_IN_COOKIE,
        value: encodePendingSignIn(pending),
        path: SIGN_IN_PATH,
        maxAgeSeconds: SIGN_IN_MAX_AGE_SECONDS,
      }),
    );
    return reply.redirect(url.href, 303);
  });

  app.get("/auth/callback", async (request, reply) => {
    const signIn = signInOrUnavailable(ctx);
    const pending = decodePendingSignIn(readCookie(request.headers.cookie, SIGN_IN_COOKIE));
    if (pending === null)
      throw new ApiError(
        "UNAUTHENTICATED",
        "sign-in failed: this browser started no sign-in (or took longer than 10 minutes); start again at /auth/login",
        { reason: "sign_in_failed" },
      );
    const base = baseUrl(ctx, request);
    // The redirect URI the provider checks is the one /auth/login sent: the base (a public URL may have
    // a path prefix) followed by /auth/callback, then the provider's answer.
    const question = request.url.indexOf("?");
    const answer = question === -1 ? "" : request.url.slice(question);
    const claims = await signIn.finish(new URL(`${base}/auth/callback${answer}`), pending);
    const settings = ctx.auth;
    const name = userNameFromClaims(claims, settings.oidc?.usernameClaim ?? "email");
    const cookies = [clearCookie(ctx.cookiePolicy, SIGN_IN_COOKIE, SIGN_IN_PATH)];
    const grants = grantsFromClaims(claims, settings.roleMapping, settings.defaultRole);
    if (grants.length === 0) {
      void reply.header("set-cookie", cookies);
      throw new ApiError(
        "FORBIDDEN",
        `signed in as ${name}, but no auth.role_mapping rule gives you a role on this instance (and default_role is none); ask an admin to map one of your groups`,
        { reason: "no_role" },
      );
    }
    // Rotation: whatever session this browser had ends; the signed-in one gets a fresh id.
    const previous = readCookie(request.headers.cookie, SESSION_COOKIE);
    const now = ctx.now();
    if (previous !== undefined) await ctx.storage.sessions.revokeSession(previous, now);
    const { id } = await ctx.storage.sessions.createSession({
      subject: String(claims.sub),
      name,
      email: typeof claims.email === "string" ? claims.email : null,
      grants,
      createdAt: now,
      expiresAt: new Date(now.getTime() + settings.sessionMaxAgeMs),
    });
    cookies.push(
      setCookie(ctx.cookiePolicy, {
        name: SESSION_COOKIE,
        value: id,
        path: "/",
        maxAgeSeconds: Math.floor(settings.sessionMaxAgeMs / 1000),
      }),
    );
    void reply.header("set-cookie", cookies);
    return reply.redirect(`${base}/`, 303);
  });

  app.post("/auth/logout", async (request, reply) => {
    const session = request.signedInSession;
    if (session !== null) await ctx.storage.sessions.revokeSession(session.id, ctx.now());
    void reply.header("set-cookie", clearCookie(ctx.cookiePolicy, SESSION_COOKIE, "/"));
    return reply.code(204).send();
  });
}
