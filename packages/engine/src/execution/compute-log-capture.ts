import { Console } from "node:console";
import { Writable } from "node:stream";
import { type ComputeLogSettings, DEFAULT_COMPUTE_LOG_SETTINGS } from "@bosun/instance";
import {
  BufferedStorageWriter,
  type ComputeLogStorage,
  DEFAULT_OUTAGE_TOLERANCE_MS,
  type LogStream,
} from "@bosun/storage";

/** The line stored once when a stream reaches its limit; N is the stream's bytes before it. */
export function truncationMarker(keptBytes: number): string {
  return `[bosun: output truncated after ${keptBytes} bytes]\n`;
}

/** Room kept below the limit for the marker (a newline, the marker with any realistic N). */
const MARKER_RESERVE = 64;

/**
 * Collects a step's stdout and stderr and appends them to compute log storage in chunks, at most every
 * `flushIntervalMs`, so they can be followed live and read after the process is gone.
 *
 * With `maxBytesPerStep`, each stream of the step (across its retries in the run: the count starts from
 * what is stored) keeps at most that many bytes: output is kept up to the limit less room for the marker,
 * then the marker line `[bosun: output truncated after N bytes]` is stored once and the rest dropped
 * (in memory too, so a step printing without end costs nothing more). Open with `ComputeLogRecorder.open`.
 *
 * Chunks go through a `BufferedStorageWriter`: in order, under idempotency keys, waiting out a database
 * outage of up to `outageToleranceMs` in memory and then on disk.
 */
export class ComputeLogRecorder {
  private readonly writer: BufferedStorageWriter<LogChunk>;
  /** Bytes of each stream stored or pending, marker included. */
  private readonly bytes: Record<LogStream, number>;
  /** Whether this recorder's last kept text of each stream ended a line (where a marker may start). */
  private readonly atLineStart: Record<LogStream, boolean> = { stdout: true, stderr: true };
  /** Whether the step wrote anything at all. */
  captured = false;

  private constructor(
    storage: ComputeLogStorage,
    runId: string,
    stepKey: string,
    private readonly settings: ComputeLogSettings,
    stored: Record<LogStream, number>,
    outageToleranceMs: number,
  ) {
    this.bytes = { ...stored };
    this.writer = new BufferedStorageWriter<LogChunk>({
      // One write per batch of chunks and stream; each stream's text under a key of its own.
      write: async (chunks, batchKey) => {
        for (const stream of ["stdout", "stderr"] as const) {
          const data = chunks
            .filter((chunk) => chunk.stream === stream)
            .map((chunk) => chunk.data)
            .join("");
          if (data) await storage.append(runId, stepKey, stream, data, { batchKey: `${batchKey}:${stream}` });
        }
      },
      maxDelayMs: settings.flushIntervalMs,
      outage: { toleranceMs: outageToleranceMs },
    });
  }

  /** A recorder for one attempt of one step; with a limit, it first reads what the step's streams hold. */
  static async open(
    storage: ComputeLogStorage,
    runId: string,
    stepKey: string,
    settings: ComputeLogSettings = DEFAULT_COMPUTE_LOG_SETTINGS,
    outageToleranceMs: number = DEFAULT_OUTAGE_TOLERANCE_MS,
  ): Promise<ComputeLogRecorder> {
    const stored =
      settings.maxBytesPerStep === null
        ? { stdout: 0, stderr: 0 }
        : {
            stdout: await storage.size(runId, stepKey, "stdout"),
            stderr: await storage.size(runId, stepKey, "stderr"),
          };
    return new ComputeLogRecorder(storage, runId, stepKey, settings, stored, outageToleranceMs);
  }

  write(stream: LogStream, text: string): void {
    if (text.length === 0) return;
    this.captured = true;
    const kept = this.keep(stream, text);
    if (kept.length === 0) return;
    this.writer.push({ stream, data: kept });
  }

  /** Waits until everything written so far is stored; throws a failed write or a too-long outage. */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /** What of `text` fits under the stream's limit, with the marker when this write reaches it. */
  private keep(stream: LogStream, text: string): string {
    const limit = this.settings.maxBytesPerStep;
    if (limit === null) return text;
    const budget = limit - MARKER_RESERVE;
    // Past the budget only when the marker has been stored: output alone never goes beyond it.
    if (this.bytes[stream] > budget) return "";
    const size = Buffer.byteLength(text, "utf8");
    if (this.bytes[stream] + size <= budget) {
      this.bytes[stream] += size;
      this.atLineStart[stream] = text.endsWith("\n");
      return text;
    }
    const head = utf8Prefix(text, budget - this.bytes[stream]);
    const keptBytes = this.bytes[stream] + Buffer.byteLength(head, "utf8");
    const lineStart = head.length > 0 ? head.endsWith("\n") : this.atLineStart[stream];
    const marker = `${lineStart ? "" : "\n"}${truncationMarker(keptBytes)}`;
    this.bytes[stream] = keptBytes + Buffer.byteLength(marker, "utf8");
    return head + marker;
  }
}

/** Output of one stream, as written by the step. */
interface LogChunk {
  readonly stream: LogStream;
  readonly data: string;
}

/** The longest prefix of `text` whose UTF-8 encoding fits in `maxBytes`, never splitting a character. */
function utf8Prefix(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return "";
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  // Back up to the first byte of the character that straddles the limit.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString("utf8");
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
