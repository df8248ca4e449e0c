import type { KObject } from "../../store/k8s-object.ts";
import type { PodNetwork, ServiceTarget } from "./pod-network.ts";

/**
 * Keeps the pod network's Service listeners in line with Services and their Endpoints (the
 * job of kube-proxy): one listener per cluster IP and port, relaying to the ready endpoint
 * addresses for that port.
 */
type Any = Record<string, any>;

export class ServiceProxy {
  private current = new Map<string, string>();

  constructor(private readonly network: PodNetwork) {}

  async sync(services: readonly KObject[], endpoints: readonly KObject[]): Promise<void> {
    if (this.network.mode !== "namespaces") return;
    const byKey = new Map(endpoints.map((e) => [`${e.metadata.namespace}/${e.metadata.name}`, e as Any]));
    const desired = new Map<string, { ip: string; port: number; targets: ServiceTarget[] }>();
    for (const svc of services as readonly Any[]) {
      const ip: string | undefined = svc.spec?.clusterIP;
      if (
        !ip ||
        ip === "None" ||
        (svc.metadata.name === "kubernetes" && svc.metadata.namespace === "default")
      )
        continue;
      const ep = byKey.get(`${svc.metadata.namespace}/${svc.metadata.name}`);
      for (const port of (svc.spec.ports ?? []) as Any[]) {
        if ((port.protocol ?? "TCP") !== "TCP") continue;
        const targets: ServiceTarget[] = [];
        for (const subset of (ep?.subsets ?? []) as Any[]) {
          const match =
            ((subset.ports ?? []) as Any[]).find((p) => (p.name ?? "") === (port.name ?? "")) ??
            (subset.ports?.length === 1 ? subset.ports[0] : undefined);
          if (!match) continue;
          for (const address of (subset.addresses ?? []) as Any[])
            targets.push({ host: address.ip, port: match.port });
        }
        desired.set(`${ip}:${port.port}`, { ip, port: port.port, targets });
      }
    }
    for (const [key, want] of desired) {
      const signature = JSON.stringify(want.targets);
      if (this.current.get(key) === signature) continue;
      await this.network.serve(want.ip, want.port, want.targets);
      this.current.set(key, signature);
    }
    for (const key of [...this.current.keys()]) {
      if (desired.has(key)) continue;
      const [ip, port] = [key.slice(0, key.lastIndexOf(":")), Number(key.slice(key.lastIndexOf(":") + 1))];
      await this.network.unserve(ip, port);
      this.current.delete(key);
    }
  }
}
