/**
 * Where things sit inside a run or step container, read from the Job Bosun builds (so the list can
 * never disagree with the manifest): the code the worker loads, its working directory, `BOSUN_HOME`,
 * the instance config and every mounted volume with its source.
 */
import path from "node:path";
import type { V1Job, V1Volume } from "@kubernetes/client-node";

/** One path inside the container and what is there. */
export interface InImagePath {
  /** `code location file`, `working directory`, `BOSUN_HOME`, `instance config`, `volume tmp`, ... */
  readonly what: string;
  readonly path: string;
  /** Where it comes from: `ConfigMap bosun-instance, key bosun.yaml`, `emptyDir`, `the image's WORKDIR`. */
  readonly source: string;
}

/** `ConfigMap x`, `Secret y`, `emptyDir`, `persistentVolumeClaim z`: the kind of volume and its name. */
function volumeSource(volume: V1Volume | undefined): string {
  if (volume === undefined) return "no volume of that name in the pod";
  const { name: _name, ...sources } = volume as unknown as Record<string, unknown>;
  const [kind, body] = Object.entries(sources)[0] ?? ["unknown", undefined];
  const detail = body as { name?: string; secretName?: string; claimName?: string } | undefined;
  const named = detail?.name ?? detail?.secretName ?? detail?.claimName;
  return named === undefined ? kind : `${kind} ${named}`;
}

function argAfter(args: readonly string[], flag: string): string | undefined {
  const index = args.indexOf(flag);
  return index === -1 ? undefined : args[index + 1];
}

/**
 * The in-image paths of a Job's main container.
 *
 * @example
 * inImagePaths(runJob)
 * // → [{ what: "code location file", path: "/app/definitions.ts", source: "-f of the worker's command line" }, ...]
 */
export function inImagePaths(job: V1Job): InImagePath[] {
  const pod = job.spec?.template.spec;
  const container = pod?.containers[0];
  if (container === undefined) return [];
  const out: InImagePath[] = [];
  const workingDir = container.workingDir;
  const args = container.args ?? [];
  const file = argAfter(args, "-f");
  const module = argAfter(args, "-m");
  if (file !== undefined) {
    const absolute = path.posix.isAbsolute(file);
    out.push({
      what: "code location file",
      path: absolute || workingDir === undefined ? file : path.posix.join(workingDir, file),
      source:
        absolute || workingDir !== undefined
          ? "-f of the worker's command line"
          : "-f of the worker's command line, relative to the image's WORKDIR",
    });
  }
  if (module !== undefined) {
    out.push({
      what: "code location module",
      path: module,
      source: "-m: resolved from the working directory",
    });
  }
  out.push({
    what: "working directory",
    path: workingDir ?? "(the image's WORKDIR)",
    source: workingDir === undefined ? "the image" : "container workingDir",
  });
  const bosunHome = container.env?.find((variable) => variable.name === "BOSUN_HOME")?.value;
  if (bosunHome !== undefined) out.push({ what: "BOSUN_HOME", path: bosunHome, source: "env BOSUN_HOME" });
  const volumes = new Map((pod?.volumes ?? []).map((volume) => [volume.name, volume]));
  for (const mount of container.volumeMounts ?? []) {
    const volume = volumes.get(mount.name);
    const isInstanceConfig = mount.subPath === "bosun.yaml" && volume?.configMap !== undefined;
    out.push({
      what: isInstanceConfig ? "instance config" : `volume ${mount.name}`,
      path: mount.mountPath,
      source: `${volumeSource(volume)}${mount.subPath ? `, key ${mount.subPath}` : ""}${mount.readOnly ? ", read-only" : ""}`,
    });
  }
  return out;
}

/** The paths as YAML comment lines, aligned, under a heading. */
export function formatInImagePaths(paths: readonly InImagePath[], image: string | undefined): string {
  const whatWidth = Math.max(0, ...paths.map((entry) => entry.what.length));
  const pathWidth = Math.max(0, ...paths.map((entry) => entry.path.length));
  const lines = paths.map(
    (entry) => `#   ${entry.what.padEnd(whatWidth)}  ${entry.path.padEnd(pathWidth)}  (${entry.source})`,
  );
  return `# Paths inside the container${image ? ` (image ${image})` : ""}:\n${lines.join("\n")}\n`;
}
