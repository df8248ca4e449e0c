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
  /**
   * Registers the clients once the relying party's callback URL is known. With `signingKey` (a private
   * JWK the test holds) the provider signs ID tokens with it, so a test can forge tokens it signs too.
   */
  configure(
    clients: readonly { id: string; secret: string; redirectUri: string }[],
    options?: { readonly signingKey?: Record<string, unknown> },
  ): void;
  /**
   * Rewrites the ID token of the token endpoint's next answers (null: answers as the provider made
   * them), as an attacker between the provider and the relying party, or a rogue provider, would.
   */
  tamperIdToken: ((idToken: string) => Promise<string>) | null;
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
    if (!handler) {
      res.writeHead(503).end();
      return;
    }
    const tamper = result.tamperIdToken;
    if (tamper && req.method === "POST" && req.url?.startsWith("/token")) rewriteIdToken(res, tamper);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const result: TestOidcProvider = {
    issuer,
    tamperIdToken: null,
    configure(clients, options = {}) {
      const provider = new Provider(issuer, {
        ...(options.signingKey ? { jwks: { keys: [options.signingKey] } } : {}),
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
  return result;
}

/** Holds the token endpoint's JSON answer back, rewrites its `id_token`, then sends it. */
function rewriteIdToken(res: ServerResponse, tamper: (idToken: string) => Promise<string>): void {
  const chunks: Buffer[] = [];
  const end = res.end.bind(res);
  res.write = ((chunk: string | Buffer) => {
    chunks.push(Buffer.from(chunk));
    return true;
  }) as ServerResponse["write"];
  res.end = ((chunk?: string | Buffer | (() => void)) => {
    if (chunk && typeof chunk !== "function") chunks.push(Buffer.from(chunk));
    void (async () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body = text;
      const parsed = JSON.parse(text) as { id_token?: string };
      if (parsed.id_token) body = JSON.stringify({ ...parsed, id_token: await tamper(parsed.id_token) });
      res.setHeader("content-length", Buffer.byteLength(body));
      end(body);
    })();
    return res;
  }) as ServerResponse["end"];
}
