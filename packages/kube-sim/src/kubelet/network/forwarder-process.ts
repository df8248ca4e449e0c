/**
 * The service proxy process. It runs inside the sim's cluster network namespace (started with
 * `nsenter --net=...`), listens on Service cluster IPs (and on the gateway address for host
 * ports) and relays each TCP connection to one endpoint, round robin, like kube-proxy's
 * userspace mode. With no endpoints a connection is reset, as a cluster rejects it.
 *
 * Control protocol, one JSON object per line on stdin:
 *   {"op":"listen","id":"<ip>:<port>","host":"<ip>","port":80,"targets":[{"host":"10.244.0.5","port":8080}|{"unix":"/path"}]}
 *   {"op":"update","id":"...","targets":[...]}
 *   {"op":"close","id":"..."}
 * Each is answered on stdout with {"id":"...","ok":true} or {"id":"...","error":"..."}.
 * This file must stay runnable by plain Node (erasable TypeScript only, no imports of .ts files).
 */
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { createInterface } from "node:readline";

type Target = { host: string; port: number } | { unix: string };

interface Listener {
  server: Server;
  targets: Target[];
  next: number;
  sockets: Set<Socket>;
}

const listeners = new Map<string, Listener>();

function reply(message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

function relay(listener: Listener, client: Socket): void {
  listener.sockets.add(client);
  client.on("close", () => listener.sockets.delete(client));
  if (listener.targets.length === 0) {
    client.resetAndDestroy();
    return;
  }
  const target = listener.targets[listener.next++ % listener.targets.length]!;
  const upstream =
    "unix" in target ? createConnection(target.unix) : createConnection(target.port, target.host);
  listener.sockets.add(upstream);
  upstream.on("close", () => listener.sockets.delete(upstream));
  client.pipe(upstream);
  upstream.pipe(client);
  upstream.on("error", () => client.resetAndDestroy());
  client.on("error", () => upstream.destroy());
}

function listen(id: string, host: string, port: number, targets: Target[]): void {
  const listener: Listener = { server: createServer(), targets, next: 0, sockets: new Set() };
  listener.server.on("connection", (client) => relay(listener, client));
  listener.server.once("error", (error) => reply({ id, error: String(error) }));
  listener.server.listen(port, host, () => {
    listeners.set(id, listener);
    reply({ id, ok: true });
  });
}

const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  let message: { op: string; id: string; host?: string; port?: number; targets?: Target[] };
  try {
    message = JSON.parse(line);
  } catch {
    return;
  }
  const existing = listeners.get(message.id);
  if (message.op === "listen") {
    if (existing) {
      existing.targets = message.targets ?? [];
      reply({ id: message.id, ok: true });
    } else listen(message.id, message.host!, message.port!, message.targets ?? []);
  } else if (message.op === "update") {
    if (existing) existing.targets = message.targets ?? [];
    reply({ id: message.id, ok: Boolean(existing) });
  } else if (message.op === "close") {
    if (existing) {
      existing.server.close();
      for (const s of existing.sockets) s.destroy();
      listeners.delete(message.id);
    }
    reply({ id: message.id, ok: true });
  }
});
lines.on("close", () => process.exit(0));
reply({ id: "ready", ok: true });
