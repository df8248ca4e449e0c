import { Console } from "node:console";
import { Writable } from "node:stream";
import type { ComputeLogStorage, LogStream } from "../storage/storage.ts";

/**
 * Collects a step's stdout and stderr and appends them to compute log storage in chunks, at most every
 * `intervalMs`, so they can be followed live and read after the process is gone.
 */
export class ComputeLogRecorder {
  private pending: Record<LogStream, string> = { stdout: "", stderr: "" };
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private failure: unknown = null;
  /** Whether the step wrote anything at all. */
  captured = false;

  constructor(
    private readonly storage: ComputeLogStorage,
    private readonly runId: string,
    private readonly stepKey: string,
    private readonly intervalMs = 200,
  ) {}

  write(stream: LogStream, text: string): void {
    if (text.length === 0) return;
    this.captured = true;
    this.pending[stream] += text;
    this.timer ??= setTimeout(() => this.startWrite(), this.intervalMs);
  }

  async flush(): Promise<void> {
    this.startWrite();
    await this.writing;
    if (this.failure) throw this.failure;
  }

  private startWrite(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const { stdout, stderr } = this.pending;
    if (!stdout && !stderr) return;
    this.pending = { stdout: "", stderr: "" };
    this.writing = this.writing.then(async () => {
      try {
        if (stdout) await this.storage.append(this.runId, this.stepKey, "stdout", stdout);
        if (stderr) await this.storage.append(this.runId, this.stepKey, "stderr", stderr);
      } catch (error) {
        this.failure ??= error;
      }
    });
  }
}

type Write = typeof process.stdout.write;

/**
 * Runs `fn` with this process's stdout and stderr writes, and `console`, sent to `recorder` instead of
 * the terminal. Steps run one at a time per process (the in-process executor and each pool worker), so
 * the process streams belong to the running step. `console` is swapped too because some hosts (test
 * runners) replace it with one that does not write through `process.stdout`. Output written straight to
 * file descriptors 1 and 2 by native code or child processes bypasses this.
 */
export async function withCapturedOutput<T>(recorder: ComputeLogRecorder, fn: () => Promise<T>): Promise<T> {
  const originalOut = process.stdout.write;
  const originalErr = process.stderr.write;
  const originalConsole = globalThis.console;
  const capture = (stream: LogStream): Write =>
    ((chunk: string | Uint8Array, encodingOrCallback?: unknown, callback?: unknown) => {
      recorder.write(stream, typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      const done = typeof encodingOrCallback === "function" ? encodingOrCallback : callback;
      if (typeof done === "function") queueMicrotask(() => (done as () => void)());
      return true;
    }) as Write;
  const sink = (stream: LogStream) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        recorder.write(stream, chunk.toString("utf8"));
        done();
      },
    });
  process.stdout.write = capture("stdout");
  process.stderr.write = capture("stderr");
  globalThis.console = new Console({ stdout: sink("stdout"), stderr: sink("stderr") });
  try {
    return await fn();
  } finally {
    process.stdout.write = originalOut;
    process.stderr.write = originalErr;
    globalThis.console = originalConsole;
  }
}
