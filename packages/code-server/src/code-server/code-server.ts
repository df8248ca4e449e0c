import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import type { JsonValue } from "@bosun/core";
import { formatFailure } from "@bosun/core";
import { type CodeOrigin, type DefinitionChecks, describeOrigin } from "@bosun/engine";
import type { ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { summarizeDefinitions } from "../code-location/snapshot-summary.ts";
import { CodeServer } from "./gen/bosun/code_server/v1/code_server_pb.ts";
import { Health } from "./gen/grpc/health/v1/health_pb.ts";
import { HealthState, healthService } from "./health-service.ts";
import { type LoadedCodeLocation, loadCodeLocation } from "./loaded-code-location.ts";
import { evaluationToWire, failureToWire, planRequestFromWire, planResultToWire } from "./wire-format.ts";

/** Options of `startCodeServer`: which code to load and where to listen. */
export interface CodeServerOptions {
  readonly origin: CodeOrigin;
  /** Interface to listen on; default 127.0.0.1. */
  readonly host?: string;
  /** Port to listen on; 0 picks a free one (see `RunningCodeServer.port`). Default 4000. */
  readonly port?: number;
  /** The location's name, reported by Ping and in logs. */
  readonly locationName?: string | null;
  /** Carried into the snapshot as given, once `checks.containerContext` accept it. */
  readonly containerContext?: JsonValue | null;
  /** Plugins' checks of tags and container context, run when the code loads (see `loadCodeLocation`). */
  readonly checks?: DefinitionChecks;
  /** Log lines (no trailing newline); default: stderr. */
  readonly log?: (line: string) => void;
  /** How long a graceful stop waits for calls in flight before cutting connections. Default 5 s. */
  readonly stopGraceMs?: number;
}

/** A code server listening for gRPC calls, with the location it loaded. */
export interface RunningCodeServer {
  readonly host: string;
  readonly port: number;
  /** `host:port`. */
  readonly address: string;
  readonly serverId: string;
  readonly location: LoadedCodeLocation;
  /** Stops gracefully: NOT_SERVING, no new connections, calls in flight finish. Idempotent. */
  stop(): Promise<void>;
  /** Settles once the server has stopped, whoever asked (stop(), the Shutdown call). */
  readonly stopped: Promise<void>;
}

/**
 * Starts a code server: loads the code once, then serves `bosun.code_server.v1.CodeServer` and
 * `grpc.health.v1.Health` over the gRPC protocol (HTTP/2, no TLS). Code that fails to load does not
 * stop the server: it serves the load error, and its health stays SERVING.
 *
 * @example
 * const server = await startCodeServer({ origin: { file: "defs.ts" }, port: 0 });
 * console.log(server.address, server.serverId);
 * await server.stop();
 */
export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const host = options.host ?? "127.0.0.1";
  const label = options.locationName ? `code server "${options.locationName}"` : "code server";

  let requestStop: () => void = () => {};
  const location = await loadCodeLocation({
    origin: options.origin,
    containerContext: options.containerContext ?? null,
    ...(options.checks ? { checks: options.checks } : {}),
    onShutdown: () => requestStop(),
  });
  if (location.outcome.ok) {
    const snapshot = location.outcome.snapshot;
    log(`${label}: loaded ${describeOrigin(options.origin)} (${summarizeDefinitions(snapshot)})`);
  } else {
    log(`${label}: the code failed to load; serving the error\n${formatFailure(location.outcome.loadError)}`);
  }

  const health = new HealthState(new Set([CodeServer.typeName]));
  const routes = (router: ConnectRouter) => {
    router.service(CodeServer, {
      ping: () => ({ serverId: location.serverId, locationName: options.locationName ?? "" }),
      getSnapshot: async () => {
        const result = await location.snapshot();
        return "snapshot" in result
          ? { result: { case: "snapshotJson" as const, value: JSON.stringify(result.snapshot) } }
          : { result: { case: "loadError" as const, value: failureToWire(result.loadError) } };
      },
      getExecutionPlan: async (request) => {
        let decoded: ReturnType<typeof planRequestFromWire>;
        try {
          decoded = planRequestFromWire(request);
        } catch (error) {
          return planResultToWire({ ok: false, message: (error as Error).message, configIssues: [] });
        }
        return planResultToWire(await location.executionPlan(decoded));
      },
      evaluateSchedule: async (request) =>
        evaluationToWire(
          await location.evaluateSchedule(request.scheduleName, new Date(Number(request.scheduledTimeMs))),
        ),
      evaluateSensor: async (request) =>
        evaluationToWire(
          await location.evaluateSensor(
            request.sensorName,
            request.cursor ?? null,
            request.lastRunKey ?? null,
          ),
        ),
      shutdown: () => {
        log(`${label}: shutdown requested`);
        // Answer first; the graceful stop lets this call finish.
        setImmediate(() => requestStop());
        return {};
      },
    });
    router.service(Health, healthService(health));
  };

  const server = http2.createServer(
    connectNodeAdapter({ routes, grpc: true, grpcWeb: false, connect: false }),
  );
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 4000, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let resolveStopped: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    resolveStopped = resolve;
  });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      health.setServing(false);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const session of sessions) session.close();
      const grace = setTimeout(() => {
        for (const session of sessions) session.destroy();
      }, options.stopGraceMs ?? 5000);
      await closed;
      clearTimeout(grace);
      log(`${label}: stopped`);
      resolveStopped();
    })();
    return stopping;
  };
  requestStop = () => void stop();

  return {
    host,
    port,
    address: `${host}:${port}`,
    serverId: location.serverId,
    location,
    stop,
    stopped,
  };
}
