import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createConnection, createServer, type Server } from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { PodNetwork, PodNetworkInfo, ServiceTarget } from "./pod-network.ts";
import { runCommand } from "./run-command.ts";

/**
 * Pod networking with Linux network namespaces. The sim owns one "cluster" namespace holding a
 * bridge (10.244.0.1/16) and the service proxy; every pod gets a namespace with a veth pair
 * onto that bridge and an address from 10.244.0.0/16. Service cluster IPs (10.96.0.0/16) are
 * added to the bridge and served by the proxy. Nothing is configured in this machine's own
 * network namespace: all addresses live inside namespaces the sim created, so several sims
 * can run at once. The API server and host ports are reached through Unix sockets.
 */
const GATEWAY = "10.244.0.1";
/** A locally administered MAC for the cluster bridge (02:…), spelling the gateway's address. */
const GATEWAY_MAC = "02:00:0a:f4:00:01";
/** Pods get 10.244.0.2 … 10.244.253.232 (host numbers 2 … 65,000). */
const LAST_HOST = 65_000;
const FORWARDER = path.join(path.dirname(fileURLToPath(import.meta.url)), "forwarder-process.ts");
let instances = 0;

/** Deletes namespaces left by sims whose process has died. */
export async function sweepStaleNamespaces(): Promise<void> {
  if (!existsSync("/run/netns")) return;
  for (const name of readdirSync("/run/netns")) {
    const m = /^ks-(\d+)-/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch {
      alive = false;
    }
    if (!alive) await runCommand("ip", ["netns", "del", name]).catch(() => undefined);
  }
}

/** Whether this machine lets us create namespaces; the reason when it does not. */
export async function namespaceSupport(): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (process.platform !== "linux") return { ok: false, reason: "network namespaces need Linux" };
  if (process.getuid?.() !== 0)
    return { ok: false, reason: "network and mount namespaces need root (run as root, as CI does)" };
  for (const tool of ["ip", "nsenter", "unshare", "mount"]) {
    try {
      await runCommand("which", [tool]);
    } catch {
      return {
        ok: false,
        reason: `${tool} is not installed (Debian: apt-get install -y iproute2 util-linux mount)`,
      };
    }
  }
  const probe = `ks-${process.pid}-probe${Math.random().toString(36).slice(2, 6)}`;
  try {
    await runCommand("ip", ["netns", "add", probe]);
    await runCommand("ip", ["netns", "del", probe]);
  } catch (error) {
    return { ok: false, reason: `cannot create network namespaces: ${(error as Error).message}` };
  }
  return { ok: true };
}

export class NamespaceNetwork implements PodNetwork {
  readonly mode = "namespaces" as const;
  readonly hostIP = GATEWAY;
  readonly apiHost = "10.96.0.1";
  readonly apiPort = 443;
  private readonly tag = `ks-${process.pid}-${++instances}`;
  private readonly clusterNs = `${this.tag}-c`;
  private readonly pods = new Map<string, { ns: string; ip: string; veth: string }>();
  private nextHost = 2;
  private readonly freeHosts: number[] = [];
  private forwarder: ChildProcessWithoutNullStreams | undefined;
  private readonly pending = new Map<string, { resolve: () => void; reject: (e: Error) => void }[]>();
  private readonly clusterIPs = new Set<string>();
  private readonly relays: Server[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly socketDir: string,
    private readonly apiSocket: string,
    private readonly hostPorts: readonly number[],
  ) {}

  private ip(args: string[]): Promise<string> {
    return runCommand("ip", args);
  }

  async start(): Promise<void> {
    await sweepStaleNamespaces();
    await this.ip(["netns", "add", this.clusterNs]);
    await runCommand(
      "ip",
      ["-n", this.clusterNs, "-batch", "-"],
      [
        "link set lo up",
        // A fixed address: a bridge otherwise takes the lowest MAC of its ports and changes it when pods
        // come and go, and every pod's cached gateway MAC goes dead for tens of seconds (ARP re-resolution).
        `link add br0 address ${GATEWAY_MAC} type bridge`,
        `addr add ${GATEWAY}/16 dev br0`,
        "link set br0 up",
        "",
      ].join("\n"),
    );
    this.forwarder = spawn(
      "nsenter",
      [
        `--net=/run/netns/${this.clusterNs}`,
        "--",
        process.execPath,
        "--disable-warning=ExperimentalWarning",
        FORWARDER,
      ],
      {
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    const ready = this.waitFor("ready");
    createInterface({ input: this.forwarder.stdout }).on("line", (line) => {
      let message: { id: string; ok?: boolean; error?: string };
      try {
        message = JSON.parse(line);
      } catch {
        return;
      }
      const waiters = this.pending.get(message.id);
      const waiter = waiters?.shift();
      if (waiters && waiters.length === 0) this.pending.delete(message.id);
      if (!waiter) return;
      if (message.error) waiter.reject(new Error(`service proxy: ${message.error}`));
      else waiter.resolve();
    });
    let stderr = "";
    this.forwarder.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    this.forwarder.on("exit", (code) => {
      for (const waiters of this.pending.values())
        for (const w of waiters) w.reject(new Error(`service proxy exited with ${code}: ${stderr}`));
      this.pending.clear();
    });
    await ready;
    await this.serveUnix("10.96.0.1", 443, this.apiSocket);
    for (const port of this.hostPorts) {
      const socket = path.join(this.socketDir, `host-${port}.sock`);
      const relay = createServer((client) => {
        const upstream = createConnection(port, "127.0.0.1");
        client.pipe(upstream);
        upstream.pipe(client);
        upstream.on("error", () => client.destroy());
        client.on("error", () => upstream.destroy());
      });
      await new Promise<void>((resolve) => relay.listen(socket, resolve));
      this.relays.push(relay);
      await this.send({
        op: "listen",
        id: `${GATEWAY}:${port}`,
        host: GATEWAY,
        port,
        targets: [{ unix: socket }],
      });
    }
  }

  private waitFor(id: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const list = this.pending.get(id) ?? [];
      list.push({ resolve, reject });
      this.pending.set(id, list);
    });
  }

  private send(message: {
    op: string;
    id: string;
    host?: string;
    port?: number;
    targets?: unknown[];
  }): Promise<void> {
    if (!this.forwarder) return Promise.reject(new Error("service proxy is not running"));
    const done = this.waitFor(message.id);
    this.forwarder.stdin.write(`${JSON.stringify(message)}\n`);
    return done;
  }

  private async addClusterIP(ip: string): Promise<void> {
    if (this.clusterIPs.has(ip)) return;
    this.clusterIPs.add(ip);
    await this.ip(["-n", this.clusterNs, "addr", "add", `${ip}/32`, "dev", "br0"]);
  }

  private async serveUnix(ip: string, port: number, socket: string): Promise<void> {
    await this.addClusterIP(ip);
    await this.send({ op: "listen", id: `${ip}:${port}`, host: ip, port, targets: [{ unix: socket }] });
  }

  serve(ip: string, port: number, targets: readonly ServiceTarget[]): Promise<void> {
    const run = this.queue.then(async () => {
      await this.addClusterIP(ip);
      await this.send({ op: "listen", id: `${ip}:${port}`, host: ip, port, targets: [...targets] });
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  unserve(ip: string, port: number): Promise<void> {
    const run = this.queue.then(() => this.send({ op: "close", id: `${ip}:${port}` }));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async setupPod(uid: string): Promise<PodNetworkInfo> {
    // Fresh addresses first; a freed one only after the range is used up. Reusing an address at once
    // can leave the cluster side's neighbour cache holding the old pod's MAC (an ARP update within
    // the kernel's 1 s locktime is ignored), and the new pod's connections then stall for tens of seconds.
    const host = this.nextHost <= LAST_HOST ? this.nextHost++ : this.freeHosts.shift();
    if (host === undefined) throw new Error("pod address range exhausted");
    const ip = `10.244.${Math.floor(host / 256)}.${host % 256}`;
    const ns = `${this.tag}-p${host}`;
    const veth = `v${host}`;
    this.pods.set(uid, { ns, ip, veth });
    await this.ip(["netns", "add", ns]);
    await runCommand(
      "ip",
      ["-n", this.clusterNs, "-batch", "-"],
      [
        `link add ${veth} type veth peer name eth0 netns ${ns}`,
        `link set ${veth} master br0`,
        `link set ${veth} up`,
        "",
      ].join("\n"),
    );
    await runCommand(
      "ip",
      ["-n", ns, "-batch", "-"],
      [
        "link set lo up",
        `addr add ${ip}/16 dev eth0`,
        "link set eth0 up",
        `route add default via ${GATEWAY}`,
        "",
      ].join("\n"),
    );
    return { podIP: ip, netnsPath: `/run/netns/${ns}` };
  }

  async teardownPod(uid: string): Promise<void> {
    const pod = this.pods.get(uid);
    if (!pod) return;
    this.pods.delete(uid);
    await this.ip(["-n", this.clusterNs, "link", "del", pod.veth]).catch(() => undefined);
    await this.ip(["-n", this.clusterNs, "neigh", "flush", "to", pod.ip]).catch(() => undefined);
    await this.ip(["netns", "del", pod.ns]).catch(() => undefined);
    const host = Number(pod.ns.slice(pod.ns.lastIndexOf("-p") + 2));
    this.freeHosts.push(host);
  }

  async stop(): Promise<void> {
    for (const uid of [...this.pods.keys()]) await this.teardownPod(uid);
    if (this.forwarder && this.forwarder.exitCode === null) {
      const exited = new Promise((resolve) => this.forwarder!.once("exit", resolve));
      this.forwarder.stdin.end();
      this.forwarder.kill("SIGTERM");
      await exited;
    }
    for (const relay of this.relays) relay.close();
    await this.ip(["netns", "del", this.clusterNs]).catch(() => undefined);
  }
}
