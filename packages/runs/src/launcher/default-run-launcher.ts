import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, renameSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import type { LocationEntry } from "@bosun/code-server";
import type { BosunCommand, RunRecord } from "@bosun/core";
import type { LauncherInfo, RunHealth, RunLauncher, RunObserver } from "./run-launcher.ts";

/**
 * Options of `DefaultRunLauncher`: how to start a worker, its environment, where its output goes, and whether
 * a spare worker is kept warm.
 */
export interface DefaultRunLauncherOptions {
  /** Environment for the workers (`Instance.childEnv`: the database URL and BOSUN_HOME), over this process's. */
  readonly childEnv: Readonly<Record<string, string>>;
  /** One `<runId>.log` per worker with its stdout and stderr; default `$BOSUN_HOME/logs/runs`; null: discarded. */
  readonly logDirectory?: string | null;
  /** The command that starts a worker; `api execute-run <runId> -f|-m <origin>` is appended. */
  readonly command: BosunCommand;
  /**
   * Keep one worker started ahead of time, with the code loaded and the database connected, waiting for
   * the next run of the same code (`--run-id-from-stdin`): a launch then costs a pipe write instead of a
   * process start. Default true. A spare is discarded when the location's code server or code changes.
   */
  readonly warmWorker?: boolean;
}

/** A worker started ahead of time, waiting for a run id on its standard input. */
interface Spare {
  /** Origin and code version it loaded. */
  readonly key: string;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly logFile: string | null;
}

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** The run a worker process was given, and the launch attempt it claims. */
interface Assignment {
  readonly runId: string;
  readonly launchAttempt: number;
  readonly logFile: string | null;
}

/**
 * Runs each run worker as a local process: `bosun api execute-run <runId> -f <file>` (or `-m <module>`),
 * in its own process group so that it outlives the daemon (a restarted daemon finds it again through
 * the pid the daemon records in the run's launcher info, which `launch` returns) and is not hit by a Ctrl-C meant for the daemon.
 *
 * Health: a worker this launcher started and saw exit is FAILED with its exit code or signal; otherwise
 * the recorded pid is probed (and its start time compared, so a recycled pid is not mistaken for the
 * worker). When observed (`observe`), the exit of a worker it started is reported at once, so a worker
 * killed with -9 ends its run within moments instead of at the run monitor's next poll. Terminate sends
 * SIGTERM; the worker interrupts its steps and ends the run CANCELED.
 *
 * @example
 * const launcher = new DefaultRunLauncher({ childEnv: instance.childEnv, command: bosunCommand });
 * const info = await launcher.launch(run, location); // { launcher: "default", pid, host, ... }
 */
export class DefaultRunLauncher implements RunLauncher {
  readonly name = "default";
  /** Workers get `--launch-attempt` (or the attempt after the run id on standard input) and claim it. */
  readonly workersClaimLaunches = true;
  private readonly host = hostname();
  /** By pid: the run each worker was given. */
  private readonly assignments = new Map<number, Assignment>();
  private observer: RunObserver | null = null;
  private readonly children = new Set<ChildProcess>();
  private readonly exits = new Map<number, Exit>();
  private spare: Spare | null = null;
  private closed = false;

  constructor(private readonly options: DefaultRunLauncherOptions) {}

  async launch(run: RunRecord, location: LocationEntry, launchAttempt: number): Promise<LauncherInfo> {
    const origin = location.snapshot?.origin;
    if (!origin) throw new Error(`code location "${location.name}" has no loaded definitions`);
    const originArgs = "file" in origin ? ["-f", origin.file] : ["-m", origin.module];
    const key = JSON.stringify([originArgs, location.serverId, location.snapshot?.contentHash]);
    let worker = await this.useSpare(key, run.runId, launchAttempt);
    if (!worker) {
      const logFile = this.logFile(run.runId);
      const attemptArgs = ["--launch-attempt", String(launchAttempt)];
      const child = await this.spawnWorker([run.runId, ...attemptArgs, ...originArgs], logFile, false);
      worker = { pid: child.pid!, logFile };
    }
    const { pid, logFile } = worker;
    this.assignments.set(pid, { runId: run.runId, launchAttempt, logFile });
    // It may have ended already (a spare that died as it was handed the run).
    const exit = this.exits.get(pid);
    if (exit) this.reportExit(pid, exit);
    if (this.options.warmWorker !== false) this.prepareSpare(key, originArgs);
    const startTicks = processStartTicks(pid);
    return {
      launcher: this.name,
      pid,
      host: this.host,
      ...(startTicks !== null ? { processStartTicks: startTicks } : {}),
      ...(logFile !== null ? { logFile } : {}),
    };
  }

  /** The pid of the worker waiting for the next run, if one is ready. */
  get spareWorkerPid(): number | null {
    return this.spare?.pid ?? null;
  }

  /** Hands the run to the spare worker when it loaded the same code and is still alive. */
  private async useSpare(
    key: string,
    runId: string,
    launchAttempt: number,
  ): Promise<{ pid: number; logFile: string | null } | null> {
    const spare = this.spare;
    this.spare = null;
    if (!spare) return null;
    if (spare.key !== key || this.exits.has(spare.pid)) {
      spare.child.stdin?.end();
      return null;
    }
    try {
      await new Promise<void>((resolve, reject) => {
        spare.child.stdin!.once("error", reject);
        spare.child.stdin!.end(`${runId} ${launchAttempt}\n`, () => resolve());
      });
    } catch {
      return null;
    }
    let logFile: string | null = null;
    if (spare.logFile) {
      logFile = this.logFile(runId);
      try {
        renameSync(spare.logFile, logFile!);
      } catch {
        logFile = spare.logFile;
      }
    }
    return { pid: spare.pid, logFile };
  }

  /** Starts the next spare in the background; a failure only means the next launch starts cold. */
  private prepareSpare(key: string, originArgs: readonly string[]): void {
    if (this.closed) return;
    const logFile = this.logDirectory() ? path.join(this.logDirectory()!, `spare-${randomUUID()}.log`) : null;
    this.spawnWorker(["--run-id-from-stdin", ...originArgs], logFile, true).then(
      (child) => {
        const spare: Spare = { key, child, pid: child.pid!, logFile };
        if (this.closed || this.spare) child.stdin?.end();
        else this.spare = spare;
      },
      () => undefined,
    );
  }

  /**
   * Starts `bosun api execute-run <args>` in its own process group, its output appended to `logFile`,
   * and records how it exits.
   */
  private async spawnWorker(
    args: readonly string[],
    logFile: string | null,
    spare: boolean,
  ): Promise<ChildProcess> {
    const command = this.options.command;
    if (logFile) mkdirSync(path.dirname(logFile), { recursive: true });
    const logFd = logFile ? openSync(logFile, "a") : null;
    let child: ChildProcess;
    try {
      child = spawn(command.file, [...command.args, "api", "execute-run", ...args], {
        detached: true,
        stdio: [spare ? "pipe" : "ignore", logFd ?? "ignore", logFd ?? "ignore"],
        env: { ...process.env, ...this.options.childEnv },
      });
      await new Promise<void>((resolve, reject) => {
        child.once("spawn", resolve);
        child.once("error", reject);
      });
    } finally {
      if (logFd !== null) closeSync(logFd);
    }
    const pid = child.pid!;
    child.once("exit", (code, signal) => {
      this.exits.set(pid, { code, signal });
      this.reportExit(pid, { code, signal });
    });
    // The daemon may exit while the worker runs on; a spare, whose standard input then closes, exits too.
    child.unref();
    (child.stdin as { unref?: () => void } | null)?.unref?.();
    child.stdin?.on("error", () => undefined);
    this.children.add(child);
    child.once("exit", () => this.children.delete(child));
    return child;
  }

  observe(observer: RunObserver): () => Promise<void> {
    this.observer = observer;
    return async () => {
      if (this.observer === observer) this.observer = null;
    };
  }

  /**
   * Tells the observer that the worker of a run ended. Its run ends then unless it already did (the
   * worker wrote its end before exiting) or the worker's launch attempt was superseded meanwhile.
   */
  private reportExit(pid: number, exit: Exit): void {
    const assignment = this.assignments.get(pid);
    const observer = this.observer;
    if (!assignment || !observer) return;
    this.assignments.delete(pid);
    const message = exitMessage(pid, exit, assignment.logFile);
    void observer
      .workerEnded(
        assignment.runId,
        async (status) =>
          status === "CANCELING"
            ? {
                status: "CANCELED",
                reason: `the run worker ended without finishing the cancellation (${message})`,
              }
            : { status: "FAILURE", reason: `the run worker failed: ${message}` },
        assignment.launchAttempt,
      )
      // The run monitor's poll finds the worker gone if this report could not be stored.
      .catch(() => undefined);
  }

  async terminate(run: RunRecord): Promise<boolean> {
    const pid = this.pidOf(run);
    if (pid === null || (await this.checkHealth(run)).status !== "RUNNING") return false;
    try {
      process.kill(pid, "SIGTERM");
      return true;
    } catch {
      return false;
    }
  }

  async checkHealth(run: RunRecord): Promise<RunHealth> {
    const pid = this.pidOf(run);
    if (pid === null) return { status: "UNKNOWN", message: "no worker process is recorded for the run" };
    if (run.launcherInfo.host !== this.host)
      return { status: "UNKNOWN", message: `the worker runs on host ${String(run.launcherInfo.host)}` };
    // A child of ours that just died may be seen dead before Node has reported its exit: wait for that,
    // briefly, to say how it ended.
    const child = [...this.children].find((candidate) => candidate.pid === pid);
    if (child && !this.exits.has(pid) && !isAlive(pid)) await exitOf(child, 2000);
    const exit = this.exits.get(pid);
    if (exit) {
      const logFile = typeof run.launcherInfo.logFile === "string" ? run.launcherInfo.logFile : null;
      return { status: "FAILED", message: exitMessage(pid, exit, logFile) };
    }
    if (!isAlive(pid)) return { status: "NOT_FOUND", message: `run worker process ${pid} is not running` };
    const recorded = run.launcherInfo.processStartTicks;
    const current = processStartTicks(pid);
    if (typeof recorded === "number" && current !== null && current !== recorded)
      return {
        status: "NOT_FOUND",
        message: `run worker process ${pid} is gone (its pid now belongs to another process)`,
      };
    return { status: "RUNNING" };
  }

  /**
   * Stops the spare worker (it exits when its standard input closes) and forgets the others: they keep
   * running, and the next daemon finds them by pid.
   */
  async close(): Promise<void> {
    this.closed = true;
    const spare = this.spare;
    this.spare = null;
    if (spare && !this.exits.has(spare.pid)) {
      const exited = new Promise<void>((resolve) => spare.child.once("exit", () => resolve()));
      spare.child.stdin?.end();
      const timer = setTimeout(() => spare.child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    this.children.clear();
    this.assignments.clear();
  }

  private pidOf(run: RunRecord): number | null {
    const pid = run.launcherInfo.pid;
    return run.launcherInfo.launcher === this.name && typeof pid === "number" && pid > 0 ? pid : null;
  }

  private logDirectory(): string | null {
    if (this.options.logDirectory === null) return null;
    if (this.options.logDirectory) return this.options.logDirectory;
    const home = this.options.childEnv.BOSUN_HOME;
    return home ? path.join(home, "logs", "runs") : null;
  }

  private logFile(runId: string): string | null {
    const directory = this.logDirectory();
    return directory ? path.join(directory, `${runId}.log`) : null;
  }
}

/** How a worker ended, with the last lines of its output when it wrote any. */
function exitMessage(pid: number, exit: Exit, logFile: string | null): string {
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  const output = logFile ? lastLines(logFile, 10) : "";
  return `run worker process ${pid} ${how} before the run ended${output ? `; its last output (${logFile}):\n${output}` : ""}`;
}

function exitOf(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Fields of /proc/<pid>/stat after the command name (which may itself hold spaces and parentheses). */
function procStat(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/** A process that exited but was not reaped yet counts as gone. */
function isZombie(pid: number): boolean {
  return procStat(pid)?.[0] === "Z";
}

/** When the process started (clock ticks since boot; Linux only, else null): tells a recycled pid apart. */
function processStartTicks(pid: number): number | null {
  const value = procStat(pid)?.[19];
  return value === undefined ? null : Number(value);
}

/** The last `count` lines of a worker's log (read from its last 4 KiB), or "" when it cannot be read. */
function lastLines(file: string, count: number): string {
  let fd: number | null = null;
  try {
    fd = openSync(file, "r");
    const size = fstatSync(fd).size;
    const length = Math.min(size, 4096);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString("utf8").trimEnd().split("\n").slice(-count).join("\n");
  } catch {
    return "";
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
