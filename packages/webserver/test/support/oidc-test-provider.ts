import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

/** A user of the test provider: their login is their subject; their groups come in the `groups` claim. */
export interface TestUser {
  readonly email: string;
  readonly groups: readonly string[];
}

/** A real OpenID provider (npm `oidc-provider`) on an ephemeral loopback port, with dev login pages. */
export interface TestOidcProvider {
  readonly issuer: string;
  /** Registers the clients once the relying party's callback URL is known. */
  configure(clients: readonly { id: string; secret: string; redirectUri: string }[]): void;
  close(): Promise<void>;
}

/**
 * Starts listening first (so the issuer URL is known before the webserver is configured with it) and
 * answers once `configure` has created the provider with its clients.
 */
export async function startTestOidcProvider(
  users: Readonly<Record<string, TestUser>>,
): Promise<TestOidcProvider> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const server = createServer((req, res) => {
    if (handler) handler(req, res);
    else res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    configure(clients) {
      const provider = new Provider(issuer, {
        clients: clients.map((client) => ({
          client_id: client.id,
          client_secret: client.secret,
          redirect_uris: [client.redirectUri],
          grant_types: ["authorization_code"],
          response_types: ["code"],
        })),
        claims: { openid: ["sub"], email: ["email"], groups: ["groups"] },
        cookies: { keys: ["test-provider-cookie-key"] },
        features: { devInteractions: { enabled: true } },
        async findAccount(_ctx, id) {
          const user = users[id];
          if (!user) return undefined;
          return {
            accountId: id,
            claims: async () => ({ sub: id, email: user.email, groups: [...user.groups] }),
          };
        },
      });
      handler = provider.callback();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
