import type { SerializableFailure } from "@bosun/core";
import { type CallOptions, type Client, createClient } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import {
  type CodeLocationClient,
  CodeLocationUnavailableError,
  type ExecutionPlanRequest,
  type ExecutionPlanResult,
  type InstigatorEvaluation,
} from "../code-location/code-location-client.ts";
import type { DefinitionsSnapshot } from "../code-location/snapshot.ts";
import { CodeServer } from "./gen/bosun/code_server/v1/code_server_pb.ts";
import { evaluationFromWire, failureFromWire, planRequestToWire, planResultFromWire } from "./wire-format.ts";

/** Per-call deadlines, in milliseconds. */
export interface CodeServerCallTimeouts {
  /** Default 5 s: a ping that takes longer means the server is not answering. */
  readonly ping: number;
  /** Default 60 s (a large snapshot, a busy server). */
  readonly snapshot: number;
  /** Default 60 s. */
  readonly executionPlan: number;
  /** Schedule and sensor evaluations run user code. Default 60 s. */
  readonly evaluate: number;
  /** Default 5 s. */
  readonly shutdown: number;
}

/**
 * Per-call timeouts (ms) of the gRPC client: short for pings and shutdown, a minute for calls that run user
 * code.
 */
export const DEFAULT_CALL_TIMEOUTS: CodeServerCallTimeouts = {
  ping: 5_000,
  snapshot: 60_000,
  executionPlan: 60_000,
  evaluate: 60_000,
  shutdown: 5_000,
};

/** Options of `createGrpcCodeLocationClient`. */
export interface GrpcCodeLocationClientOptions {
  /** The location's name, for errors. */
  readonly location: string;
  /** `host:port` of its code server. */
  readonly address: string;
  readonly timeouts?: Partial<CodeServerCallTimeouts>;
}

/**
 * A `CodeLocationClient` that talks gRPC (HTTP/2, no TLS) to a code server. One HTTP/2 connection,
 * opened on first use and reopened when it drops. Any call that gets no answer (connection refused or
 * lost, deadline passed) fails with `CodeLocationUnavailableError` carrying the cause.
 *
 * @example
 * const client = createGrpcCodeLocationClient({ location: "sales", address: "127.0.0.1:4000" });
 * const { serverId } = await client.ping();
 * client.close();
 */
export function createGrpcCodeLocationClient(options: GrpcCodeLocationClientOptions): CodeLocationClient {
  return new GrpcCodeLocationClient(options);
}

class GrpcCodeLocationClient implements CodeLocationClient {
  private readonly sessions: Http2SessionManager;
  private readonly client: Client<typeof CodeServer>;
  private readonly timeouts: CodeServerCallTimeouts;

  constructor(private readonly options: GrpcCodeLocationClientOptions) {
    const baseUrl = `http://${bracketIpv6(options.address)}`;
    this.sessions = new Http2SessionManager(baseUrl, { idleConnectionTimeoutMs: 60_000 });
    this.client = createClient(CodeServer, createGrpcTransport({ baseUrl, sessionManager: this.sessions }));
    this.timeouts = { ...DEFAULT_CALL_TIMEOUTS, ...options.timeouts };
  }

  async ping(): Promise<{ readonly serverId: string }> {
    const response = await this.call((o) => this.client.ping({}, o), this.timeouts.ping);
    return { serverId: response.serverId };
  }

  async snapshot(): Promise<{ snapshot: DefinitionsSnapshot } | { loadError: SerializableFailure }> {
    const response = await this.call((o) => this.client.getSnapshot({}, o), this.timeouts.snapshot);
    switch (response.result.case) {
      case "snapshotJson":
        return { snapshot: JSON.parse(response.result.value) as DefinitionsSnapshot };
      case "loadError":
        return { loadError: failureFromWire(response.result.value) };
      default:
        throw new Error(`code server at ${this.options.address} sent a snapshot reply with neither result`);
    }
  }

  async executionPlan(request: ExecutionPlanRequest): Promise<ExecutionPlanResult> {
    const response = await this.call(
      (o) => this.client.getExecutionPlan(planRequestToWire(request), o),
      this.timeouts.executionPlan,
    );
    return planResultFromWire(response);
  }

  async evaluateSchedule(name: string, scheduledTime: Date): Promise<InstigatorEvaluation> {
    const response = await this.call(
      (o) =>
        this.client.evaluateSchedule(
          { scheduleName: name, scheduledTimeMs: BigInt(scheduledTime.getTime()) },
          o,
        ),
      this.timeouts.evaluate,
    );
    return evaluationFromWire(response);
  }

  async evaluateSensor(
    name: string,
    cursor: string | null,
    lastRunKey: string | null,
  ): Promise<InstigatorEvaluation> {
    const response = await this.call(
      (o) =>
        this.client.evaluateSensor(
          { sensorName: name, cursor: cursor ?? undefined, lastRunKey: lastRunKey ?? undefined },
          o,
        ),
      this.timeouts.evaluate,
    );
    return evaluationFromWire(response);
  }

  async shutdown(): Promise<void> {
    await this.call((o) => this.client.shutdown({}, o), this.timeouts.shutdown);
  }

  close(): void {
    this.sessions.abort();
  }

  private async call<T>(invoke: (options: CallOptions) => Promise<T>, timeoutMs: number): Promise<T> {
    try {
      return await invoke({ timeoutMs });
    } catch (error) {
      throw new CodeLocationUnavailableError(this.options.location, this.options.address, { cause: error });
    }
  }
}

/** `::1:4000` → `[::1]:4000`, so that an IPv6 host makes a valid URL. */
function bracketIpv6(address: string): string {
  const colon = address.lastIndexOf(":");
  const host = address.slice(0, colon);
  return host.includes(":") && !host.startsWith("[") ? `[${host}]${address.slice(colon)}` : address;
}
