import { type ChildProcess, fork } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { formatFailure, toSerializableFailure } from "@bosun/core";
import type { ComputeLogSettings } from "@bosun/instance";
import { StorageOutageError } from "@bosun/storage";
import type { CodeOrigin } from "../../code-location/load-definitions.ts";
import type { EventWriter } from "../../events/event-writer.ts";
import { launcherStepFailureEvent } from "../launcher-step-failure.ts";
import type { StepAttemptResult } from "../step-attempt.ts";
import type { StepLauncher } from "../step-launcher.ts";
import type { FromWorker, ToWorker } from "./worker-protocol.ts";

const WORKER_ENTRY = fileURLToPath(new URL("./step-worker-main.ts", import.meta.url));
// Workers load TypeScript through tsx, resolved from here so the user's working directory does not matter.
const TSX_LOADER = import.meta.resolve("tsx");
const SHUTDOWN_GRACE_MS = 10_000;

export class WorkerCrashedError extends Error {
  constructor(
    readonly stepKey: string | null,
    readonly exitCode: number | null,
    readonly signalName: string | null,
    readonly stderrTail: string,
  ) {
    super(
      `step worker process ${stepKey ? `running "${stepKey}" ` : ""}exited unexpectedly (${signalName ? `signal ${signalName}` : `exit code ${exitCode}`})${stderrTail ? `:\n${stderrTail}` : ""}`,
    );
    this.name = "WorkerCrashedError";
  }
}

interface Worker {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly exited: Promise<void>;
  busyWith: string | null;
  pending: ((message: FromWorker | Error) => void) | null;
  stderrTail: string;
}

export interface ProcessPoolOptions {
  readonly runId: string;
  readonly origin: CodeOrigin;
  readonly bosunHome: string;
  readonly outputSources: ReadonlyMap<string, string>;
  readonly maxConcurrent: number;
  /** Start a new process for every step attempt instead of reusing workers. */
  readonly freshProcessPerStep: boolean;
  /** Environment for workers, so they reach the same storage. */
  readonly env: Readonly<Record<string, string>>;
  readonly events: EventWriter;
  /** `compute_logs` of the instance, for the workers' step sessions. */
  readonly computeLogs: ComputeLogSettings;
}

/**
 * The multiprocess executor's launcher: a pool of up to `maxConcurrent` worker processes that load the
 * code location once and run step attempts sent over IPC. Workers are reused between steps (their
 * start-up cost is paid once per run), unless `freshProcessPerStep` is set.
 */
export class ProcessPoolLauncher implements StepLauncher {
  readonly maxConcurrent: number;
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();
  private closed = false;
  /** Set once the run is being canceled: no further step is handed to a worker. */
  private interrupted = false;

  constructor(private readonly options: ProcessPoolOptions) {
    this.maxConcurrent = Math.max(1, options.maxConcurrent);
  }

  async launch(stepKey: string, retryNumber: number): Promise<StepAttemptResult> {
    const worker = this.idle.pop() ?? this.spawn();
    try {
      await worker.ready;
      if (this.interrupted) {
        // Canceled while this worker was starting: the step never began, so there is nothing to record.
        this.idle.push(worker);
        return { outcome: "failure", interrupted: true };
      }
      const reply = await this.request(worker, stepKey, { type: "step", stepKey, retryNumber });
      if (reply.type === "outage")
        throw new StorageOutageError(reply.toleranceMs, reply.outageMs, {
          ...(reply.causeMessage !== null ? { cause: new Error(reply.causeMessage) } : {}),
        });
      if (reply.type !== "result") throw new Error(`unexpected reply ${reply.type} from step worker`);
      if (this.options.freshProcessPerStep || this.closed) await this.shutdown(worker);
      else this.idle.push(worker);
      return reply.result;
    } catch (error) {
      this.all.delete(worker);
      worker.child.kill("SIGKILL");
      // The run fails for the outage (`orchestrateSteps`), with its reason rather than a crash's.
      if (error instanceof StorageOutageError) throw error;
      return this.recordCrash(stepKey, retryNumber, error);
    }
  }

  /** A worker that died cannot report its step's failure: record it here so the run's events explain it. */
  private async recordCrash(
    stepKey: string,
    retryNumber: number,
    error: unknown,
  ): Promise<StepAttemptResult> {
    const failure = toSerializableFailure(error);
    this.options.events.emit(
      launcherStepFailureEvent({
        runId: this.options.runId,
        stepKey,
        retryNumber,
        failure,
        summary: formatFailure(failure).split("\n")[0] ?? "",
      }),
    );
    await this.options.events.flush();
    return { outcome: "failure" };
  }

  async interrupt(): Promise<void> {
    this.interrupted = true;
    for (const worker of this.all) if (worker.busyWith) worker.child.kill("SIGTERM");
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.all].map((worker) => this.shutdown(worker)));
  }

  private spawn(): Worker {
    const child = fork(WORKER_ENTRY, [], {
      execArgv: ["--import", TSX_LOADER],
      // Workers share one on-disk bytecode cache, so each new one compiles less.
      env: {
        NODE_COMPILE_CACHE: path.join(tmpdir(), "bosun-node-compile-cache"),
        ...process.env,
        ...this.options.env,
      },
      stdio: ["ignore", "inherit", "pipe", "ipc"],
      serialization: "json",
    });
    let exitInfo: { code: number | null; signal: string | null } | null = null;
    const worker: Worker = {
      child,
      busyWith: null,
      pending: null,
      stderrTail: "",
      ready: Promise.resolve(),
      exited: new Promise((resolve) => child.once("exit", () => resolve())),
    };
    child.stderr?.on("data", (chunk: Buffer) => {
      worker.stderrTail = (worker.stderrTail + chunk.toString("utf8")).slice(-4000);
      // Steps' output is not captured: their stderr belongs on this process's, as their stdout already is.
      if (!this.options.computeLogs.enabled) process.stderr.write(chunk);
    });
    child.on("message", (message: FromWorker) => {
      const pending = worker.pending;
      worker.pending = null;
      pending?.(message);
    });
    child.once("exit", (code, signal) => {
      exitInfo = { code, signal };
      this.all.delete(worker);
      const index = this.idle.indexOf(worker);
      if (index >= 0) this.idle.splice(index, 1);
      worker.pending?.(new WorkerCrashedError(worker.busyWith, code, signal, worker.stderrTail.trim()));
      worker.pending = null;
    });
    const init: ToWorker = {
      type: "init",
      runId: this.options.runId,
      origin: this.options.origin,
      bosunHome: this.options.bosunHome,
      outputSources: [...this.options.outputSources],
      computeLogs: this.options.computeLogs,
    };
    (worker as { ready: Promise<void> }).ready = this.request(worker, null, init).then((reply) => {
      if (reply.type === "init-failed")
        throw new Error(`step worker could not start: ${formatFailure(reply.failure)}`);
      if (exitInfo) throw new WorkerCrashedError(null, exitInfo.code, exitInfo.signal, worker.stderrTail);
    });
    this.all.add(worker);
    return worker;
  }

  private request(worker: Worker, stepKey: string | null, message: ToWorker): Promise<FromWorker> {
    return new Promise((resolve, reject) => {
      worker.busyWith = stepKey;
      worker.pending = (reply) => {
        worker.busyWith = null;
        if (reply instanceof Error) reject(reply);
        else resolve(reply);
      };
      worker.child.send(message);
    });
  }

  private async shutdown(worker: Worker): Promise<void> {
    this.all.delete(worker);
    const index = this.idle.indexOf(worker);
    if (index >= 0) this.idle.splice(index, 1);
    if (worker.child.exitCode === null && worker.child.signalCode === null) {
      worker.pending = () => undefined;
      if (worker.child.connected) worker.child.send({ type: "shutdown" } satisfies ToWorker);
      const timer = setTimeout(() => worker.child.kill("SIGKILL"), SHUTDOWN_GRACE_MS);
      await worker.exited;
      clearTimeout(timer);
    }
  }
}
