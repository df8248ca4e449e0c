import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { BosunCommand } from "@bosun/core";
import type { CodeOrigin } from "@bosun/engine";

const LISTENING = /^code server listening on (\S+)$/;
const STDERR_TAIL_LINES = 40;

export interface LocalCodeServerOptions {
  /** The location's name (passed as `--location-name`, and prefixes its log lines). */
  readonly name: string;
  readonly origin: CodeOrigin;
  readonly workingDirectory: string;
  /** Added to this process's environment (e.g. BOSUN_HOME, BOSUN_DATABASE_URL). */
  readonly env?: Readonly<Record<string, string>>;
  /** How to start `bosun` (the CLI passes its own). */
  readonly bosunCommand: BosunCommand;
  /** How long to wait for the listening line. Default 60 s. */
  readonly startTimeoutMs?: number;
  /** Receives the process's output, line by line. */
  readonly log: (line: string) => void;
}

/** A local code server process did not come up, or ended. */
export class LocalCodeServerError extends Error {
  constructor(
    readonly location: string,
    message: string,
    /** The last lines it wrote to stderr. */
    readonly stderrTail: string,
  ) {
    super(stderrTail ? `${message}; its last output:\n${stderrTail}` : message);
    this.name = "LocalCodeServerError";
  }
}

/**
 * A code server process (`bosun api grpc --port 0`) started for a `typescript_file` or `module`
 * location. It learns its port from the process's listening line, and it never outlives this process:
 * `stop()` sends SIGTERM then SIGKILL, and the server stops by itself when its stdin (a pipe from this
 * process) closes.
 */
export class LocalCodeServer {
  /** Resolves with `host:port` once the server listens; rejects with a `LocalCodeServerError`. */
  readonly ready: Promise<string>;
  /** Settles when the process has exited. */
  readonly exited: Promise<void>;
  private exitDescription: string | null = null;
  private readonly child: ChildProcess;
  private readonly stderrLines: string[] = [];

  constructor(private readonly options: LocalCodeServerOptions) {
    const originArgs = "file" in options.origin ? ["-f", options.origin.file] : ["-m", options.origin.module];
    this.child = spawn(
      options.bosunCommand.file,
      [
        ...options.bosunCommand.args,
        "api",
        "grpc",
        ...originArgs,
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--location-name",
        options.name,
        "--stop-when-stdin-closes",
      ],
      {
        cwd: options.workingDirectory,
        env: { ...process.env, ...options.env },
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    const prefix = `[${options.name}] `;
    createInterface({ input: this.child.stderr! }).on("line", (line) => {
      this.stderrLines.push(line);
      if (this.stderrLines.length > STDERR_TAIL_LINES) this.stderrLines.shift();
      options.log(prefix + line);
    });
    this.exited = new Promise((resolve) => {
      this.child.once("exit", (code, signal) => {
        this.exitDescription = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        resolve();
      });
      // A process that cannot be spawned at all emits "error" and no "exit".
      this.child.once("error", (error) => {
        this.exitDescription ??= `could not be started: ${error.message}`;
        resolve();
      });
    });
    this.ready = new Promise<string>((resolve, reject) => {
      const timeoutMs = options.startTimeoutMs ?? 60_000;
      const timer = setTimeout(() => {
        reject(this.failure(`code server process did not start listening within ${timeoutMs} ms`));
        void this.stop();
      }, timeoutMs);
      createInterface({ input: this.child.stdout! }).on("line", (line) => {
        const match = LISTENING.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        } else {
          options.log(prefix + line);
        }
      });
      void this.exited.then(() => {
        clearTimeout(timer);
        reject(this.failure(`code server process ${this.exitDescription} before it started listening`));
      });
    });
    // The process may die before anyone awaits `ready`.
    this.ready.catch(() => {});
    // Nothing is ever written: stdin only tells the server when this process goes away.
    this.child.stdin!.on("error", () => {});
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Null while it runs; how it ended once it has. */
  get exit(): string | null {
    return this.exitDescription;
  }

  /** The error describing its end, with its last stderr lines. */
  failure(message = `code server process ${this.exitDescription ?? "is not running"}`): LocalCodeServerError {
    return new LocalCodeServerError(this.options.name, message, this.stderrLines.slice(-15).join("\n"));
  }

  /** SIGTERM (a graceful stop), then SIGKILL after `graceMs`. Resolves once the process has exited. */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.exitDescription !== null || this.child.exitCode !== null || this.child.signalCode !== null)
      return;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
