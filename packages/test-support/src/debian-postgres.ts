import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const DEBIAN_ROOT = "/usr/lib/postgresql";

/** A PostgreSQL server run from the distribution's binaries (what CI installs), stopped and started at will. */
export interface DebianPostgresServer {
  readonly url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** The newest `/usr/lib/postgresql/<version>/bin` holding `pg_ctl`, or null (not Debian, or not installed). */
export function debianPostgresBin(): string | null {
  if (!existsSync(DEBIAN_ROOT)) return null;
  const versions = readdirSync(DEBIAN_ROOT)
    .filter((v) => existsSync(path.join(DEBIAN_ROOT, v, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? path.join(DEBIAN_ROOT, versions[0]!, "bin") : null;
}

/**
 * Initialises a cluster under `directory` with Debian's PostgreSQL and starts it on a free port of the
 * loopback interface, with a database `database`. PostgreSQL refuses to run as root, so when the tests run
 * as root the server's commands run as the `postgres` user (the directory is handed to it).
 */
export async function startDebianPostgres(
  bin: string,
  directory: string,
  database: string,
): Promise<DebianPostgresServer> {
  const asRoot = process.getuid?.() === 0;
  const as = (command: string, args: readonly string[]) =>
    asRoot
      ? run("runuser", ["-u", "postgres", "--", path.join(bin, command), ...args])
      : run(path.join(bin, command), [...args]);
  if (asRoot) await run("chown", ["-R", "postgres", directory]);
  const data = path.join(directory, "data");
  await as("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync"]);
  const port = await freePort();
  // Test settings: no fsync (the data is thrown away), the socket in the test's directory.
  const options = `-p ${port} -k ${directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const start = () =>
    as("pg_ctl", ["-D", data, "-o", options, "-l", path.join(directory, "server.log"), "-w", "start"]);
  await start();
  await as("createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", database]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/${database}`,
    stop: async () => {
      await as("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
    },
    start: async () => {
      await start();
    },
  };
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

/** Removes the cluster's files (they belong to `postgres` when the tests run as root; root may remove them). */
export async function removeDebianPostgres(directory: string): Promise<void> {
  await fs.rm(directory, { recursive: true, force: true });
}
