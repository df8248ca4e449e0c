import type { FastifyInstance } from "fastify";
import { createWebserver, type WebserverOptions } from "./create-webserver.ts";
import { isLoopbackBindAddress } from "./host-policy.ts";
import { parseHostSettings } from "./host-settings.ts";

/** Options of `startWebserver`: the webserver's, plus where to listen. */
export interface StartWebserverOptions extends WebserverOptions {
  /** Default 127.0.0.1: reachable from this machine only unless told otherwise. */
  readonly host?: string;
  /** Default 3000; 0 picks a free port. */
  readonly port?: number;
  /**
   * Serve without auth on an address other machines can reach (`--insecure-allow-anonymous`). Without
   * it, a non-loopback `host` with auth off is refused before listening.
   */
  readonly allowAnonymous?: boolean;
}

/** The webserver would answer anyone on the network, with auth off and nobody having said that is intended. */
export class AnonymousBindError extends Error {
  constructor(readonly host: string) {
    super(
      `refusing to serve on ${host} without auth: anyone who can reach it could launch, terminate and change anything. Turn auth on in bosun.yaml (auth: { enabled: true }, then \`bosun auth bootstrap\`; see docs/auth.md), bind to 127.0.0.1, or pass --insecure-allow-anonymous if another layer guards access`,
    );
    this.name = "AnonymousBindError";
  }
}

/** A listening webserver: its Fastify app and URL, and `close`. */
export interface RunningWebserver {
  readonly app: FastifyInstance;
  /** `http://host:port`, with the port actually bound. */
  readonly url: string;
  /** Stops accepting connections, ends open streams, and waits for in-flight requests. Idempotent. */
  close(): Promise<void>;
}

/**
 * Throws `AnonymousBindError` for a non-loopback `host` with auth off, unless `allowAnonymous`.
 * `startWebserver` checks it; a command may check it first to fail before starting anything else.
 */
export function assertBindAllowed(
  options: Pick<StartWebserverOptions, "host" | "auth" | "allowAnonymous">,
): void {
  const host = options.host ?? "127.0.0.1";
  if (!options.auth?.enabled && !options.allowAnonymous && !isLoopbackBindAddress(host))
    throw new AnonymousBindError(host);
}

/**
 * Creates the webserver and listens. Storage and workspace stay the caller's to close (so `bosun dev`
 * can share them with the daemon).
 *
 * @example
 * const server = await startWebserver({ storage, workspace, port: 3000 });
 * console.log(`Bosun UI at ${server.url}`);
 */
export async function startWebserver(options: StartWebserverOptions): Promise<RunningWebserver> {
  const host = options.host ?? "127.0.0.1";
  assertBindAllowed({ ...options, host });
  // Explicit options win; otherwise BOSUN_WEBSERVER_PUBLIC_URL / _ALLOWED_HOSTS (so `bosun dev` and
  // `bosun webserver` both honour them). A malformed value fails here, before listening.
  const hostSettings = parseHostSettings({
    ...(options.publicUrl !== undefined ? { publicUrl: options.publicUrl } : {}),
    ...(options.allowedHosts !== undefined ? { allowedHosts: options.allowedHosts } : {}),
  });
  const app = await createWebserver({ bindHost: host, ...options, ...hostSettings });
  await app.listen({ host, port: options.port ?? 3000 });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : (options.port ?? 3000);
  const shownHost = host.includes(":") ? `[${host}]` : host;
  let closing: Promise<void> | null = null;
  return {
    app,
    url: `http://${shownHost}:${port}`,
    close: () => {
      // Open SSE responses keep their sockets: end them so close() does not wait for clients.
      closing ??= (async () => {
        app.server.closeAllConnections();
        await app.close();
      })();
      return closing;
    },
  };
}
