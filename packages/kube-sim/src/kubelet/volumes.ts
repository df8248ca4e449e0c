import { chmod, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { KObject } from "../store/k8s-object.ts";
import { applyFsGroup } from "./volume-ownership.ts";

/**
 * Materialises a pod's volumes as directories under the pod's scratch directory: configMap and
 * secret keys become files, `emptyDir` an empty directory, `projected` and `downwardAPI` their
 * files (the service account token is the sim's API token), a PersistentVolumeClaim a
 * directory that outlives the pod, `hostPath` the host path itself. Any other volume type is
 * refused with a FailedMount error rather than faked. An emptyDir is world-writable (0777) and a
 * new claim directory too, as on a node; with a pod `fsGroup` every volume but hostPath is handed to
 * that group (see `volume-ownership.ts`).
 */
type Any = Record<string, any>;

export class VolumeError extends Error {
  override readonly name = "VolumeError";
  constructor(
    readonly volume: string,
    message: string,
  ) {
    super(`MountVolume.SetUp failed for volume "${volume}" : ${message}`);
  }
}

export interface VolumeSources {
  configMap(namespace: string, name: string): Any | undefined;
  secret(namespace: string, name: string): Any | undefined;
  claim(namespace: string, name: string): Any | undefined;
  readonly token: string;
  readonly claimsDir: string;
}

/** Volume name → host directory (or file for hostPath files). */
export type MaterialisedVolumes = Map<string, { readonly source: string; readonly readOnly: boolean }>;

async function writeItems(dir: string, files: Map<string, Buffer | string>, mode: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  // Directories readable by any container user, whatever this process's umask (as a kubelet's are).
  await chmod(dir, 0o755);
  for (const [rel, content] of files) {
    const file = path.join(dir, rel);
    if (!file.startsWith(dir + path.sep)) throw new Error(`invalid item path ${rel}`);
    for (let parent = path.dirname(file); parent !== dir; parent = path.dirname(parent)) {
      await mkdir(parent, { recursive: true });
      await chmod(parent, 0o755);
    }
    await writeFile(file, content);
    await chmod(file, mode);
  }
}

function keyFiles(
  data: Record<string, Buffer | string>,
  items: Any[] | undefined,
  what: string,
  volume: string,
  optional: boolean,
): Map<string, Buffer | string> {
  const files = new Map<string, Buffer | string>();
  if (!items || items.length === 0) {
    for (const [k, v] of Object.entries(data)) files.set(k, v);
    return files;
  }
  for (const item of items) {
    if (!(item.key in data)) {
      if (optional) continue;
      throw new VolumeError(volume, `${what} has no key "${item.key}"`);
    }
    files.set(item.path, data[item.key]!);
  }
  return files;
}

function secretData(secret: Any): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries((secret.data ?? {}) as Record<string, string>))
    out[k] = Buffer.from(v, "base64");
  return out;
}

function configMapData(cm: Any): Record<string, Buffer | string> {
  const out: Record<string, Buffer | string> = { ...(cm.data ?? {}) };
  for (const [k, v] of Object.entries((cm.binaryData ?? {}) as Record<string, string>))
    out[k] = Buffer.from(v, "base64");
  return out;
}

/**
 * The files a configMap or secret reference yields (`ref` holds `items` and `optional`), for a
 * whole volume and for a projected source alike. A missing object is an error unless optional,
 * in which case it yields no files.
 */
function referencedFiles(
  sources: VolumeSources,
  namespace: string,
  volume: string,
  what: "configmap" | "secret",
  name: string,
  ref: Any,
): Map<string, Buffer | string> {
  const object = what === "configmap" ? sources.configMap(namespace, name) : sources.secret(namespace, name);
  if (!object && !ref.optional) throw new VolumeError(volume, `${what} "${name}" not found`);
  const data = !object ? {} : what === "configmap" ? configMapData(object) : secretData(object);
  return keyFiles(data, ref.items, `${what} "${name}"`, volume, Boolean(ref.optional));
}

function downwardFile(pod: Any, item: Any): string {
  const fieldPath: string | undefined = item.fieldRef?.fieldPath;
  if (!fieldPath) throw new Error("only fieldRef items are supported in downwardAPI volumes");
  if (fieldPath === "metadata.labels" || fieldPath === "metadata.annotations") {
    const map = (fieldPath === "metadata.labels" ? pod.metadata.labels : pod.metadata.annotations) ?? {};
    return Object.entries(map)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join("\n");
  }
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (m) return pod.metadata[m[1]!]?.[m[2]!] ?? "";
  const simple: Record<string, string | undefined> = {
    "metadata.name": pod.metadata.name,
    "metadata.namespace": pod.metadata.namespace,
    "metadata.uid": pod.metadata.uid,
    "spec.nodeName": pod.spec.nodeName,
    "spec.serviceAccountName": pod.spec.serviceAccountName,
  };
  if (!(fieldPath in simple)) throw new Error(`unsupported downwardAPI fieldPath ${fieldPath}`);
  return simple[fieldPath] ?? "";
}

export async function materialiseVolumes(
  pod: KObject,
  podDir: string,
  sources: VolumeSources,
): Promise<MaterialisedVolumes> {
  const p = pod as Any;
  const namespace: string = p.metadata.namespace;
  const out: MaterialisedVolumes = new Map();
  const fsGroup: unknown = p.spec.securityContext?.fsGroup;
  const fsGroupPolicy =
    p.spec.securityContext?.fsGroupChangePolicy === "OnRootMismatch" ? "OnRootMismatch" : "Always";
  for (const volume of (p.spec.volumes ?? []) as Any[]) {
    const dir = path.join(podDir, "volumes", volume.name);
    if (volume.emptyDir) {
      await mkdir(dir, { recursive: true, mode: 0o777 });
      await chmod(dir, 0o777);
      out.set(volume.name, { source: dir, readOnly: false });
    } else if (volume.configMap) {
      const ref = volume.configMap;
      const files = referencedFiles(sources, namespace, volume.name, "configmap", ref.name, ref);
      await writeItems(dir, files, ref.defaultMode ?? 0o644);
      out.set(volume.name, { source: dir, readOnly: true });
    } else if (volume.secret) {
      // A secret volume names its object `secretName` (a projected secret source says `name`).
      const ref = volume.secret;
      const files = referencedFiles(sources, namespace, volume.name, "secret", ref.secretName, ref);
      await writeItems(dir, files, ref.defaultMode ?? 0o644);
      out.set(volume.name, { source: dir, readOnly: true });
    } else if (volume.downwardAPI) {
      const files = new Map<string, string>();
      for (const item of volume.downwardAPI.items ?? []) {
        try {
          files.set(item.path, downwardFile(p, item));
        } catch (error) {
          throw new VolumeError(volume.name, (error as Error).message);
        }
      }
      await writeItems(dir, files, volume.downwardAPI.defaultMode ?? 0o644);
      out.set(volume.name, { source: dir, readOnly: true });
    } else if (volume.projected) {
      const files = new Map<string, Buffer | string>();
      for (const source of (volume.projected.sources ?? []) as Any[]) {
        if (source.serviceAccountToken) files.set(source.serviceAccountToken.path, sources.token);
        else if (source.configMap || source.secret) {
          const ref = source.configMap ?? source.secret;
          const what = source.configMap ? "configmap" : "secret";
          for (const [k, v] of referencedFiles(sources, namespace, volume.name, what, ref.name, ref))
            files.set(k, v);
        } else if (source.downwardAPI) {
          for (const item of source.downwardAPI.items ?? []) files.set(item.path, downwardFile(p, item));
        } else
          throw new VolumeError(
            volume.name,
            "kube-sim supports serviceAccountToken, configMap, secret and downwardAPI projections only",
          );
      }
      await writeItems(dir, files, volume.projected.defaultMode ?? 0o644);
      out.set(volume.name, { source: dir, readOnly: true });
    } else if (volume.persistentVolumeClaim) {
      const claimName: string = volume.persistentVolumeClaim.claimName;
      if (!sources.claim(namespace, claimName))
        throw new VolumeError(volume.name, `persistentvolumeclaim "${claimName}" not found`);
      const claimDir = path.join(sources.claimsDir, namespace, claimName);
      // A new volume is writable for any user, like a provisioner's fresh directory.
      if ((await mkdir(claimDir, { recursive: true })) !== undefined) await chmod(claimDir, 0o777);
      out.set(volume.name, { source: claimDir, readOnly: Boolean(volume.persistentVolumeClaim.readOnly) });
    } else if (volume.hostPath) {
      const type: string = volume.hostPath.type ?? "";
      if (type === "DirectoryOrCreate") await mkdir(volume.hostPath.path, { recursive: true });
      out.set(volume.name, { source: volume.hostPath.path, readOnly: false });
    } else {
      const kind = Object.keys(volume).find((k) => k !== "name") ?? "unknown";
      throw new VolumeError(volume.name, `kube-sim cannot provide ${kind} volumes`);
    }
    if (typeof fsGroup === "number" && !volume.hostPath) {
      const materialised = out.get(volume.name)!;
      try {
        await applyFsGroup(materialised.source, fsGroup, materialised.readOnly, fsGroupPolicy);
      } catch (error) {
        throw new VolumeError(volume.name, `could not apply fsGroup ${fsGroup}: ${(error as Error).message}`);
      }
    }
  }
  return out;
}
