import { randomUUID } from "node:crypto";
import type { NewEvent } from "@bosun/core";
import type { OutagePolicy } from "../outage/outage-policy.ts";
import { retryThroughOutage } from "../outage/retry-through-outage.ts";
import type { LogStream, WriteOptions } from "../storage.ts";
import { StorageUnavailableError } from "../storage-errors.ts";

/** The control plane's URL a run worker in hybrid mode reports to. */
export const CONTROL_PLANE_URL_ENV = "BOSUN_CONTROL_PLANE_URL";
/** The run token it reports with (minted for its run when the launch was handed to an agent). */
export const RUN_TOKEN_ENV = "BOSUN_RUN_TOKEN";

/** The control plane could not be reached, or answered that it cannot serve now (502, 503, 504): an outage, waited out. */
export class ControlPlaneUnavailableError extends StorageUnavailableError {
  constructor(url: string, reason: string, options?: { cause?: unknown }) {
    super(url, reason, options);
    this.message = `cannot reach the control plane at ${url}: ${reason}`;
    this.name = "ControlPlaneUnavailableError";
  }
}

/** The control plane refused the call (a 4xx): retrying the same call cannot help. */
export class ControlPlaneRefusedError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`the control plane refused the report (${status} ${code}): ${message}`);
    this.name = "ControlPlaneRefusedError";
  }
}

/** One chunk of a step's stdout or stderr. */
export interface ComputeLogChunkToSend {
  readonly stepKey: string;
  readonly stream: LogStream;
  readonly data: string;
}

/**
 * A run worker's writes in hybrid mode, through the control plane's run reporting API instead of a
 * database connection: it needs only the control plane's URL and its run token. Each batch has an id
 * (the caller's `batchKey`, or one made for the call) that stays the same across retries, so a batch
 * whose answer was lost is stored once; an unreachable control plane is waited out like a database
 * outage (`retryThroughOutage`, the same policy and back-off), a refusal (token of another run, run
 * ended) is thrown at once.
 *
 * @example
 * const reporter = ControlPlaneRunReporter.fromEnvironment(runId, process.env, { toleranceMs: 120_000 });
 * await reporter.appendEvents([event], { batchKey: "step-a-1" });
 */
export class ControlPlaneRunReporter {
  constructor(
    private readonly options: {
      readonly url: string;
      readonly runToken: string;
      readonly runId: string;
      readonly outage: OutagePolicy;
    },
  ) {}

  /** From `BOSUN_CONTROL_PLANE_URL` and `BOSUN_RUN_TOKEN`; throws naming the variable that is missing. */
  static fromEnvironment(
    runId: string,
    env: Readonly<Record<string, string | undefined>>,
    outage: OutagePolicy,
  ): ControlPlaneRunReporter {
    const url = env[CONTROL_PLANE_URL_ENV];
    const runToken = env[RUN_TOKEN_ENV];
    if (!url)
      throw new Error(`${CONTROL_PLANE_URL_ENV} is not set: a run worker reporting over HTTP needs it`);
    if (!runToken) throw new Error(`${RUN_TOKEN_ENV} is not set: a run worker reporting over HTTP needs it`);
    return new ControlPlaneRunReporter({ url: url.replace(/\/+$/, ""), runToken, runId, outage });
  }

  /** Appends the run's events in order, at most once per batch key; answers how many this call stored. */
  async appendEvents(events: readonly NewEvent[], options: WriteOptions = {}): Promise<number> {
    const batchId = options.batchKey ?? randomUUID();
    const body = {
      batchId,
      events: events.map(({ runId: _runId, ...event }) => event),
    };
    const answer = await this.post<{ stored: number }>("events", body);
    return answer.stored;
  }

  /** Appends compute-log chunks, at most once per batch key. */
  async appendComputeLogs(
    chunks: readonly ComputeLogChunkToSend[],
    options: WriteOptions = {},
  ): Promise<void> {
    await this.post("logs", { batchId: options.batchKey ?? randomUUID(), chunks });
  }

  private post<T>(what: "events" | "logs", body: unknown): Promise<T> {
    const { url, runToken, runId, outage } = this.options;
    const target = `${url}/api/run/v1/runs/${encodeURIComponent(runId)}/${what}`;
    const text = JSON.stringify(body);
    return retryThroughOutage(async () => {
      let response: Response;
      try {
        response = await fetch(target, {
          method: "POST",
          headers: { authorization: `Bearer ${runToken}`, "content-type": "application/json" },
          body: text,
        });
      } catch (error) {
        throw new ControlPlaneUnavailableError(url, (error as Error).message, { cause: error });
      }
      const answer = await response.text().catch(() => "");
      if (response.ok) return JSON.parse(answer) as T;
      if (response.status === 502 || response.status === 503 || response.status === 504)
        throw new ControlPlaneUnavailableError(url, `HTTP ${response.status}`);
      let error: { code?: string; message?: string } = {};
      try {
        error = (JSON.parse(answer) as { error?: typeof error }).error ?? {};
      } catch {
        // not the API's error body: keep the status alone
      }
      throw new ControlPlaneRefusedError(response.status, error.code ?? "HTTP", error.message ?? answer);
    }, outage);
  }
}
