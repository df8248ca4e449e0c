import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";

/** Debian's Redis server binary (`apt-get install -y redis-server`). */
export const REDIS_SERVER_BIN = process.env.BOSUN_REDIS_SERVER ?? "/usr/bin/redis-server";

/** A Redis server of one test file's own, on an ephemeral port, without persistence. */
export interface TestRedis {
  readonly host: string;
  readonly port: number;
  /** `redis://127.0.0.1:<port>` (no password: the test server has none unless asked). */
  readonly url: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.end();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * Starts `redis-server` on an ephemeral port for one test file (the caller skips the suite first when
 * the binary is missing: `systemSuiteMissing("redis-server")`). `password` makes the server require it.
 *
 * @example
 * const redis = await startTestRedis();
 * afterAll(() => redis.stop());
 */
export async function startTestRedis(options: { readonly password?: string } = {}): Promise<TestRedis> {
  if (!existsSync(REDIS_SERVER_BIN)) throw new Error(`no redis-server at ${REDIS_SERVER_BIN}`);
  const port = await freePort();
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  if (options.password) args.push("--requirepass", options.password);
  const child = spawn(REDIS_SERVER_BIN, args, { stdio: "ignore" });
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`redis-server did not accept connections on port ${port} within 10 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    host: "127.0.0.1",
    port,
    url: `redis://127.0.0.1:${port}`,
    process: child,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
  };
}
