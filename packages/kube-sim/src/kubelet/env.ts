import type { KObject } from "../store/k8s-object.ts";

/**
 * Builds a container's environment the way the kubelet does: service links, `envFrom`, then
 * `env` (with `$(VAR)` expansion and `valueFrom` references). A missing non-optional reference
 * is a `CreateContainerConfigError`.
 */
type Any = Record<string, any>;

export class ContainerConfigError extends Error {
  override readonly name = "ContainerConfigError";
}

export interface EnvSources {
  configMap(namespace: string, name: string): Any | undefined;
  secret(namespace: string, name: string): Any | undefined;
  /** Services visible to the pod (same namespace) for `<NAME>_SERVICE_HOST` variables. */
  services(namespace: string): Any[];
  readonly apiHost: string;
  readonly apiPort: number;
}

/** Expands `$(NAME)` references; `$$(NAME)` escapes to a literal `$(NAME)`. Unknown names stay as written. */
export function expand(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => {
    if (match === "$$") return "$";
    return name !== undefined && Object.hasOwn(env, name) ? env[name]! : match;
  });
}

function fieldValue(pod: Any, fieldPath: string): string {
  const labelMatch = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (labelMatch) return pod.metadata[labelMatch[1]!]?.[labelMatch[2]!] ?? "";
  switch (fieldPath) {
    case "metadata.name":
      return pod.metadata.name;
    case "metadata.namespace":
      return pod.metadata.namespace;
    case "metadata.uid":
      return pod.metadata.uid;
    case "spec.nodeName":
      return pod.spec.nodeName ?? "";
    case "spec.serviceAccountName":
      return pod.spec.serviceAccountName ?? "";
    case "status.hostIP":
      return pod.status?.hostIP ?? "";
    case "status.podIP":
      return pod.status?.podIP ?? "";
    case "status.podIPs":
      return (pod.status?.podIPs ?? []).map((p: Any) => p.ip).join(",");
    default:
      throw new ContainerConfigError(`unsupported fieldRef ${fieldPath}`);
  }
}

function decode(secret: Any, key: string): string | undefined {
  const value = secret.data?.[key];
  return value === undefined ? undefined : Buffer.from(value, "base64").toString("utf8");
}

export function containerEnv(
  pod: KObject,
  container: Any,
  sources: EnvSources,
  imageEnv: Record<string, string> = {},
): Record<string, string> {
  const p = pod as Any;
  const namespace: string = p.metadata.namespace;
  const env: Record<string, string> = { ...imageEnv };
  env.KUBERNETES_SERVICE_HOST = sources.apiHost;
  env.KUBERNETES_SERVICE_PORT = String(sources.apiPort);
  env.KUBERNETES_SERVICE_PORT_HTTPS = String(sources.apiPort);
  env.KUBERNETES_PORT = `tcp://${sources.apiHost}:${sources.apiPort}`;
  if (p.spec.enableServiceLinks !== false) {
    for (const svc of sources.services(namespace)) {
      const ip = svc.spec?.clusterIP;
      if (!ip || ip === "None" || svc.metadata.name === "kubernetes") continue;
      const prefix = String(svc.metadata.name).toUpperCase().replace(/-/g, "_");
      const first = svc.spec.ports?.[0];
      env[`${prefix}_SERVICE_HOST`] = ip;
      if (first) {
        env[`${prefix}_SERVICE_PORT`] = String(first.port);
        env[`${prefix}_PORT`] = `${(first.protocol ?? "TCP").toLowerCase()}://${ip}:${first.port}`;
      }
      for (const port of svc.spec.ports ?? []) {
        if (port.name)
          env[`${prefix}_SERVICE_PORT_${String(port.name).toUpperCase().replace(/-/g, "_")}`] = String(
            port.port,
          );
      }
    }
  }
  for (const from of (container.envFrom ?? []) as Any[]) {
    const prefix: string = from.prefix ?? "";
    if (from.configMapRef) {
      const cm = sources.configMap(namespace, from.configMapRef.name);
      if (!cm) {
        if (from.configMapRef.optional) continue;
        throw new ContainerConfigError(`configmap "${from.configMapRef.name}" not found`);
      }
      for (const [k, v] of Object.entries((cm.data ?? {}) as Record<string, string>)) env[prefix + k] = v;
    }
    if (from.secretRef) {
      const secret = sources.secret(namespace, from.secretRef.name);
      if (!secret) {
        if (from.secretRef.optional) continue;
        throw new ContainerConfigError(`secret "${from.secretRef.name}" not found`);
      }
      for (const k of Object.keys(secret.data ?? {})) env[prefix + k] = decode(secret, k)!;
    }
  }
  for (const entry of (container.env ?? []) as Any[]) {
    if (entry.valueFrom) {
      const from = entry.valueFrom;
      if (from.fieldRef) env[entry.name] = fieldValue(p, from.fieldRef.fieldPath);
      else if (from.configMapKeyRef) {
        const ref = from.configMapKeyRef;
        const cm = sources.configMap(namespace, ref.name);
        const value = cm?.data?.[ref.key];
        if (value === undefined) {
          if (ref.optional) continue;
          throw new ContainerConfigError(
            cm
              ? `couldn't find key ${ref.key} in ConfigMap ${namespace}/${ref.name}`
              : `configmap "${ref.name}" not found`,
          );
        }
        env[entry.name] = value;
      } else if (from.secretKeyRef) {
        const ref = from.secretKeyRef;
        const secret = sources.secret(namespace, ref.name);
        const value = secret ? decode(secret, ref.key) : undefined;
        if (value === undefined) {
          if (ref.optional) continue;
          throw new ContainerConfigError(
            secret
              ? `couldn't find key ${ref.key} in Secret ${namespace}/${ref.name}`
              : `secret "${ref.name}" not found`,
          );
        }
        env[entry.name] = value;
      } else if (from.resourceFieldRef) {
        const resource: string = from.resourceFieldRef.resource;
        const [section, name] = resource.split(".");
        const value = container.resources?.[section!]?.[name!];
        env[entry.name] = value === undefined ? "0" : String(value);
      } else throw new ContainerConfigError(`env ${entry.name}: unsupported valueFrom`);
    } else env[entry.name] = expand(String(entry.value ?? ""), env);
  }
  return env;
}
