import path from "node:path";
import type { BosunCommand } from "@bosun/core";
import { didYouMean, type SerializableFailure, toSerializableFailure } from "@bosun/core";
import type { CodeOrigin } from "@bosun/engine";
import {
  type CodeLocationClient,
  CodeLocationUnavailableError,
} from "../code-location/code-location-client.ts";
import {
  type CodeServerCallTimeouts,
  createGrpcCodeLocationClient,
} from "../code-server/grpc-code-location-client.ts";
import { LocalCodeServer } from "./local-code-server.ts";
import type { LocationEntry, LocationStatus, Workspace } from "./workspace.ts";
import {
  loadWorkspaceConfig,
  locationNameFromFile,
  type WorkspaceConfig,
  type WorkspaceLocationConfig,
} from "./workspace-config.ts";

/**
 * Options of `WorkspaceManager`: how often servers are pinged and how local code servers are started and
 * stopped.
 */
export interface WorkspaceManagerOptions {
  /** How often each server is pinged. Default 3 s. */
  readonly pollIntervalMs?: number;
  /** Added to the environment of local code server processes (e.g. BOSUN_HOME, BOSUN_DATABASE_URL). */
  readonly env?: Readonly<Record<string, string>>;
  /** How to start `bosun` for local code servers (the CLI passes its own). */
  readonly bosunCommand: BosunCommand;
  /** How long a local server may take to start listening. Default 60 s. */
  readonly startTimeoutMs?: number;
  /** How long a stopping local server gets before SIGKILL. Default 5 s. */
  readonly stopGraceMs?: number;
  readonly callTimeouts?: Partial<CodeServerCallTimeouts>;
  /** Log lines, including local servers' output. Default: stderr. */
  readonly log?: (line: string) => void;
  /** Whether `start` waits until every location is LOADED or ERROR. Default true. */
  readonly waitForInitialLoad?: boolean;
}

/** No location has the name asked for. */
export class UnknownLocationError extends Error {
  constructor(
    readonly location: string,
    readonly known: readonly string[],
  ) {
    super(
      `no code location named "${location}"${didYouMean(location, known)} (locations: ${known.join(", ") || "none"})`,
    );
    this.name = "UnknownLocationError";
  }
}

/** Per-location bookkeeping; the `entry` is what callers see. */
interface LocationState {
  readonly config: WorkspaceLocationConfig;
  entry: LocationEntry;
  /** The gRPC client for the current address, or null while there is no server to talk to. */
  grpc: CodeLocationClient | null;
  /** Local locations only. */
  server: LocalCodeServer | null;
  /** Serialises polls and reloads of this location. */
  queue: Promise<unknown>;
  /** Consecutive failed starts of a local server, for the restart backoff. */
  failedStarts: number;
  restartNotBefore: number;
  /** What callers get from `client(name)`: always talks to the current server. */
  readonly proxy: CodeLocationClient;
}

/**
 * The workspace the webserver and daemon share: one code server per location, each polled for its
 * server id. `typescript_file` and `module` locations get a local code server process
 * (`bosun api grpc --port 0`), restarted by `reload` and when it dies; `grpc_server` locations are
 * reached at their address.
 *
 * Each poll pings every server. A new server id means new code: the location goes LOADING (keeping
 * its last snapshot) and its snapshot is fetched again, ending LOADED, or ERROR when the code failed to
 * load. A server that does not answer makes its location ERROR (snapshot dropped) until it answers
 * again; other locations are not affected.
 *
 * @example
 * const workspace = await startWorkspace({ workspaceFile: "workspace.yaml" });
 * for (const location of workspace.list()) console.log(location.name, location.status);
 * await workspace.close();
 */
export class WorkspaceManager implements Workspace {
  private readonly states = new Map<string, LocationState>();
  private readonly listeners = new Set<(entry: LocationEntry) => void>();
  private readonly log: (line: string) => void;
  private readonly pollIntervalMs: number;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(
    readonly config: WorkspaceConfig,
    private readonly options: WorkspaceManagerOptions,
  ) {
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.pollIntervalMs = options.pollIntervalMs ?? 3_000;
    for (const location of config.locations) {
      const state: LocationState = {
        config: location,
        entry: {
          name: location.name,
          status: "LOADING",
          address: location.kind === "grpc_server" ? `${location.host}:${location.port}` : "",
          serverId: null,
          snapshot: null,
          error: null,
          updatedAt: new Date(),
        },
        grpc: null,
        server: null,
        queue: Promise.resolve(),
        failedStarts: 0,
        restartNotBefore: 0,
        proxy: this.proxyFor(location.name),
      };
      if (location.kind === "grpc_server") state.grpc = this.grpcClient(location.name, state.entry.address);
      this.states.set(location.name, state);
    }
  }

  /** Starts every location's server and the polling; by default resolves once each has loaded or failed. */
  static async start(config: WorkspaceConfig, options: WorkspaceManagerOptions): Promise<WorkspaceManager> {
    const manager = new WorkspaceManager(config, options);
    const initial = Promise.all(
      [...manager.states.values()].map((state) => manager.enqueue(state, () => manager.refresh(state, true))),
    );
    if (options.waitForInitialLoad ?? true) await initial;
    manager.schedulePoll();
    return manager;
  }

  list(): readonly LocationEntry[] {
    return [...this.states.values()].map((state) => state.entry);
  }

  get(name: string): LocationEntry | undefined {
    return this.states.get(name)?.entry;
  }

  client(name: string): CodeLocationClient {
    return this.stateOf(name).proxy;
  }

  async reload(name: string): Promise<LocationEntry> {
    const state = this.stateOf(name);
    await this.enqueue(state, async () => {
      if (state.config.kind !== "grpc_server") {
        this.update(state, { status: "LOADING", error: null });
        await this.stopServer(state);
        state.failedStarts = 0;
        state.restartNotBefore = 0;
      }
      await this.refresh(state, true);
    });
    return state.entry;
  }

  onChange(listener: (entry: LocationEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops polling and every local code server process (SIGTERM, then SIGKILL). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.listeners.clear();
    for (const state of this.states.values()) state.grpc?.close();
    await Promise.all([...this.states.values()].map((state) => this.stopServer(state)));
    await Promise.all([...this.states.values()].map((state) => state.queue.catch(() => {})));
    // A start that was in progress when close began has spawned a process by now: stop it too.
    await Promise.all([...this.states.values()].map((state) => this.stopServer(state)));
  }

  private stateOf(name: string): LocationState {
    const state = this.states.get(name);
    if (!state) throw new UnknownLocationError(name, [...this.states.keys()]);
    return state;
  }

  private enqueue(state: LocationState, task: () => Promise<void>): Promise<void> {
    const run = state.queue.then(
      () => (this.closed ? undefined : task()),
      () => (this.closed ? undefined : task()),
    );
    state.queue = run.catch(() => {});
    return run;
  }

  private schedulePoll(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      void Promise.all(
        [...this.states.values()].map((state) => this.enqueue(state, () => this.refresh(state, false))),
      ).finally(() => this.schedulePoll());
    }, this.pollIntervalMs);
    // Polling alone never keeps a process alive.
    this.timer.unref();
  }

  /**
   * One look at a location: make sure a local server runs, ping it, and fetch the snapshot when the
   * server id is new (or `force`).
   */
  private async refresh(state: LocationState, force: boolean): Promise<void> {
    if (state.config.kind !== "grpc_server") {
      const running = await this.ensureLocalServer(state, force);
      if (!running) return;
    }
    const client = state.grpc!;
    let serverId: string;
    try {
      ({ serverId } = await client.ping());
    } catch (error) {
      if (this.closed) return;
      this.fail(state, state.server?.exit ? state.server.failure() : error);
      return;
    }
    // A server loads its code once, so the same server id means the same snapshot, or the same load
    // error: fetching it again would only flip an ERROR location to LOADING and back at every poll.
    if (!force && serverId === state.entry.serverId && state.entry.status !== "LOADING") return;
    this.update(state, { status: "LOADING" });
    try {
      const result = await client.snapshot();
      if (this.closed) return;
      if ("snapshot" in result) {
        this.update(state, { status: "LOADED", serverId, snapshot: result.snapshot, error: null });
      } else {
        this.update(state, { status: "ERROR", serverId, snapshot: null, error: result.loadError });
      }
    } catch (error) {
      if (!this.closed) this.fail(state, error);
    }
  }

  /** Starts the local server when there is none or it died (with a backoff after failed starts). */
  private async ensureLocalServer(state: LocationState, force: boolean): Promise<boolean> {
    if (state.server && state.server.exit === null) return true;
    if (state.server) {
      // It died since the last look: say so, then start a new one (now, or after the backoff).
      this.fail(state, state.server.failure());
      await this.stopServer(state);
    }
    if (!force && Date.now() < state.restartNotBefore) return false;
    const config = state.config as Exclude<WorkspaceLocationConfig, { kind: "grpc_server" }>;
    const origin: CodeOrigin =
      config.kind === "typescript_file" ? { file: config.file } : { module: config.module };
    const server = new LocalCodeServer({
      name: config.name,
      origin,
      workingDirectory: config.workingDirectory,
      env: this.options.env,
      bosunCommand: this.options.bosunCommand,
      startTimeoutMs: this.options.startTimeoutMs,
      log: this.log,
    });
    state.server = server;
    this.update(state, { status: "LOADING" });
    let address: string;
    try {
      address = await server.ready;
    } catch (error) {
      state.failedStarts += 1;
      state.restartNotBefore =
        Date.now() + Math.min(60_000, this.pollIntervalMs * 2 ** (state.failedStarts - 1));
      if (!this.closed) this.fail(state, error);
      await this.stopServer(state);
      return false;
    }
    state.failedStarts = 0;
    state.grpc?.close();
    state.grpc = this.grpcClient(config.name, address);
    this.update(state, { address });
    // Report a crash at once rather than at the next poll.
    void server.exited.then(() => {
      if (state.server === server && !this.closed) this.fail(state, server.failure());
    });
    return true;
  }

  private async stopServer(state: LocationState): Promise<void> {
    const server = state.server;
    if (!server) return;
    state.server = null;
    state.grpc?.close();
    state.grpc = null;
    await server.stop(this.options.stopGraceMs);
  }

  private grpcClient(name: string, address: string): CodeLocationClient {
    return createGrpcCodeLocationClient({ location: name, address, timeouts: this.options.callTimeouts });
  }

  private fail(state: LocationState, error: unknown): void {
    this.update(state, {
      status: "ERROR",
      serverId: null,
      snapshot: null,
      error: toSerializableFailure(error),
    });
  }

  /** Applies a change and tells listeners when anything they can see changed. */
  private update(
    state: LocationState,
    change: Partial<Pick<LocationEntry, "status" | "address" | "serverId" | "snapshot" | "error">>,
  ): void {
    const before = state.entry;
    const next = { ...before, ...change };
    if (
      next.status === before.status &&
      next.address === before.address &&
      next.serverId === before.serverId &&
      next.snapshot?.contentHash === before.snapshot?.contentHash &&
      sameFailure(next.error, before.error)
    ) {
      return;
    }
    state.entry = { ...next, updatedAt: new Date() };
    if (next.status !== before.status || !sameFailure(next.error, before.error)) {
      this.log(describeTransition(state.entry, before.status));
    }
    for (const listener of [...this.listeners]) {
      try {
        listener(state.entry);
      } catch (error) {
        this.log(`workspace: an onChange listener threw: ${(error as Error)?.message ?? String(error)}`);
      }
    }
  }

  /** A client that always talks to the location's current server. */
  private proxyFor(name: string): CodeLocationClient {
    const current = (): CodeLocationClient => {
      const state = this.stateOf(name);
      if (!state.grpc) {
        throw new CodeLocationUnavailableError(name, state.entry.address || "(no code server running)");
      }
      return state.grpc;
    };
    return {
      ping: async () => current().ping(),
      snapshot: async () => current().snapshot(),
      executionPlan: async (request) => current().executionPlan(request),
      evaluateSchedule: async (schedule, time) => current().evaluateSchedule(schedule, time),
      evaluateSensor: async (sensor, cursor, lastRunKey) =>
        current().evaluateSensor(sensor, cursor, lastRunKey),
      shutdown: async () => current().shutdown(),
      // The workspace owns the connections; `close()` on the workspace closes them.
      close: () => {},
    };
  }
}

function sameFailure(a: SerializableFailure | null, b: SerializableFailure | null): boolean {
  return a === b || (a !== null && b !== null && a.className === b.className && a.message === b.message);
}

function describeTransition(entry: LocationEntry, previous: LocationStatus): string {
  const where = entry.address ? ` at ${entry.address}` : "";
  const detail = entry.status === "ERROR" && entry.error ? `: ${entry.error.message.split("\n")[0]}` : "";
  return `workspace: location "${entry.name}"${where} ${previous} -> ${entry.status}${detail}`;
}

/**
 * Opens a workspace from a `workspace.yaml`, or from one code location file (`bosun dev -f file`: a
 * single `typescript_file` location named after the file).
 */
export async function startWorkspace(
  source: { readonly workspaceFile: string } | { readonly file: string; readonly locationName?: string },
  options: WorkspaceManagerOptions,
): Promise<WorkspaceManager> {
  const config: WorkspaceConfig =
    "workspaceFile" in source
      ? loadWorkspaceConfig(source.workspaceFile)
      : singleFileWorkspace(source.file, source.locationName);
  return WorkspaceManager.start(config, options);
}

/**
 * The workspace of `bosun dev -f <file>`: one TypeScript file as one code location (named after the file
 * unless `locationName` is given), run from the current directory.
 */
export function singleFileWorkspace(file: string, locationName?: string): WorkspaceConfig {
  const absolute = path.resolve(file);
  return {
    file: null,
    locations: [
      {
        kind: "typescript_file",
        name: locationName ?? locationNameFromFile(absolute),
        file: absolute,
        workingDirectory: process.cwd(),
      },
    ],
  };
}
