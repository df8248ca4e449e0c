import type { PodNetwork, PodNetworkInfo, ServiceTarget } from "./pod-network.ts";

/** Fallback: pods use this machine's network directly. Service cluster IPs are not served. */
export class HostNetwork implements PodNetwork {
  readonly mode = "host" as const;
  readonly hostIP = "127.0.0.1";
  readonly apiHost = "127.0.0.1";

  constructor(readonly apiPort: number) {}

  async start(): Promise<void> {}
  async setupPod(_uid: string): Promise<PodNetworkInfo> {
    return { podIP: "127.0.0.1", netnsPath: undefined };
  }
  async teardownPod(_uid: string): Promise<void> {}
  async serve(_ip: string, _port: number, _targets: readonly ServiceTarget[]): Promise<void> {}
  async unserve(_ip: string, _port: number): Promise<void> {}
  async stop(): Promise<void> {}
}
