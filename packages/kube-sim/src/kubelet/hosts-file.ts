import type { KObject } from "../store/k8s-object.ts";

/**
 * The /etc/hosts a pod sees: itself, every Service's cluster IP under its DNS names
 * (`svc.ns.svc.cluster.local`, `svc.ns.svc`, `svc.ns`, and `svc` within the pod's namespace),
 * the ready addresses of headless Services, and stateful pods' stable names. It stands in
 * for cluster DNS and is rewritten in place as Services and endpoints change.
 */
type Any = Record<string, any>;

export interface HostsInputs {
  readonly services: readonly KObject[];
  readonly endpoints: readonly KObject[];
  readonly domain: string;
  readonly extra: readonly { ip: string; names: string[] }[];
}

function serviceNames(name: string, namespace: string, podNamespace: string, domain: string): string[] {
  const names = [`${name}.${namespace}.svc.${domain}`, `${name}.${namespace}.svc`, `${name}.${namespace}`];
  if (namespace === podNamespace) names.push(name);
  return names;
}

export function hostsFile(pod: KObject, podIP: string, inputs: HostsInputs): string {
  const p = pod as Any;
  const namespace: string = p.metadata.namespace;
  const lines = [
    "# Kubernetes-managed hosts file (kube-sim).",
    "127.0.0.1\tlocalhost",
    "::1\tlocalhost ip6-localhost ip6-loopback",
  ];
  const hostname: string = p.spec.hostname ?? p.metadata.name;
  const own = p.spec.subdomain
    ? [`${hostname}.${p.spec.subdomain}.${namespace}.svc.${inputs.domain}`, hostname]
    : [hostname];
  lines.push(`${podIP}\t${own.join(" ")}`);
  for (const e of inputs.extra) lines.push(`${e.ip}\t${e.names.join(" ")}`);
  const endpointsByKey = new Map(
    inputs.endpoints.map((e) => [`${e.metadata.namespace}/${e.metadata.name}`, e as Any]),
  );
  for (const svc of inputs.services as readonly Any[]) {
    const ns: string = svc.metadata.namespace;
    const name: string = svc.metadata.name;
    const clusterIP: string | undefined = svc.spec?.clusterIP;
    const names = serviceNames(name, ns, namespace, inputs.domain);
    if (clusterIP && clusterIP !== "None") {
      lines.push(`${clusterIP}\t${names.join(" ")}`);
      continue;
    }
    const endpoints = endpointsByKey.get(`${ns}/${name}`);
    for (const subset of (endpoints?.subsets ?? []) as Any[]) {
      for (const address of (subset.addresses ?? []) as Any[]) {
        lines.push(`${address.ip}\t${names.join(" ")}`);
        if (address.hostname) {
          const base = `${address.hostname}.${name}`;
          const podNames = [`${base}.${ns}.svc.${inputs.domain}`, `${base}.${ns}.svc`, `${base}.${ns}`];
          if (ns === namespace) podNames.push(base);
          lines.push(`${address.ip}\t${podNames.join(" ")}`);
        }
      }
    }
  }
  return `${lines.join("\n")}\n`;
}
