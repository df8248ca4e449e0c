import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import {
  type Health,
  type HealthCheckResponseSchema,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "./gen/grpc/health/v1/health_pb.ts";

/**
 * The serving status behind the standard gRPC health service. A code server is SERVING from the moment it
 * listens (also when the user's code failed to load: the server is up and answers with the load error)
 * until it starts shutting down, when it turns NOT_SERVING.
 */
export class HealthState {
  private serving = true;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly services: ReadonlySet<string>) {}

  /** Whether the server knows `service`; the empty name stands for the whole server. */
  knows(service: string): boolean {
    return service === "" || this.services.has(service);
  }

  status(): ServingStatus {
    return this.serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
  }

  setServing(serving: boolean): void {
    if (this.serving === serving) return;
    this.serving = serving;
    for (const listener of [...this.listeners]) listener();
  }

  /** Resolves on the next status change, or when `signal` aborts. */
  nextChange(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.listeners.delete(done);
        signal.removeEventListener("abort", done);
        resolve();
      };
      this.listeners.add(done);
      signal.addEventListener("abort", done, { once: true });
    });
  }
}

/** `grpc.health.v1.Health`: Check for probes (Kubernetes `grpc` probes call it), Watch for streams. */
export function healthService(state: HealthState): ServiceImpl<typeof Health> {
  return {
    check(request) {
      if (!state.knows(request.service)) {
        throw new ConnectError(`unknown service "${request.service}"`, Code.NotFound);
      }
      return { status: state.status() };
    },
    async *watch(request, context): AsyncGenerator<MessageInitShape<typeof HealthCheckResponseSchema>> {
      if (!state.knows(request.service)) {
        yield { status: ServingStatus.SERVICE_UNKNOWN };
        await state.nextChange(context.signal);
        return;
      }
      let last: ServingStatus | undefined;
      while (!context.signal.aborted) {
        const status = state.status();
        if (status !== last) {
          yield { status };
          last = status;
        }
        // A stopping server ends its watches so that it can close its connections.
        if (status === ServingStatus.NOT_SERVING) return;
        await state.nextChange(context.signal);
      }
    },
  };
}
