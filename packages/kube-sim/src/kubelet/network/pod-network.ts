/**
 * How pods get their network. `namespaces`: each pod has its own network (and mount) namespace
 * on a bridge, Service cluster IPs are served by a proxy, and names resolve through a
 * generated /etc/hosts. `host`: pods share this machine's network (no isolation, no Service
 * names), used only where namespaces cannot be created.
 */
export interface PodNetworkInfo {
  readonly podIP: string;
  /** `/run/netns/<name>` for namespaces mode. */
  readonly netnsPath: string | undefined;
}

export interface ServiceTarget {
  readonly host: string;
  readonly port: number;
}

export interface PodNetwork {
  readonly mode: "namespaces" | "host";
  readonly hostIP: string;
  /** Where pods reach the API server (`KUBERNETES_SERVICE_HOST`/`_PORT`). */
  readonly apiHost: string;
  readonly apiPort: number;
  start(): Promise<void>;
  setupPod(uid: string): Promise<PodNetworkInfo>;
  teardownPod(uid: string): Promise<void>;
  /** Serves `ip:port` for a Service, relaying to `targets`. */
  serve(ip: string, port: number, targets: readonly ServiceTarget[]): Promise<void>;
  unserve(ip: string, port: number): Promise<void>;
  stop(): Promise<void>;
}
