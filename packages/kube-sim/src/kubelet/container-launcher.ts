import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * Starts one container process. In namespaces mode the process enters the pod's network
 * namespace and a private mount and UTS namespace in which its volumes are bind-mounted at their
 * mount paths and the generated hosts file over /etc/hosts; the launcher script then `exec`s the
 * program, so the process id is the container's. The process leads its own process group so
 * signals reach its children too.
 */
export interface Mount {
  readonly source: string;
  readonly target: string;
  readonly readOnly: boolean;
  /** The source is a file (a subPath or a file volume): the mount point is created as an empty file. */
  readonly isFile?: boolean;
}

export interface LaunchSpec {
  readonly argv: readonly string[];
  readonly env: Record<string, string>;
  readonly workingDir: string | undefined;
  readonly hostname: string;
  readonly netnsPath: string | undefined;
  readonly mounts: readonly Mount[];
  readonly hostsFile: string | undefined;
  /** resolv.conf bound over /etc/resolv.conf: names not in the hosts file fail fast, no lookup leaves the pod. */
  readonly resolvConf: string | undefined;
  /** `cgroup.procs` file to join before exec (memory limit). */
  readonly cgroupProcs: string | undefined;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function launchScript(spec: LaunchSpec): string {
  const lines = ["set -e"];
  if (spec.cgroupProcs) lines.push(`echo $$ > ${quote(spec.cgroupProcs)}`);
  if (spec.netnsPath) {
    lines.push(`hostname ${quote(spec.hostname)}`);
    // Sources live under the kubelet's directory on this machine (often below /tmp). A volume mounted at
    // an ancestor of a source (an emptyDir at /tmp) would hide it, so such mounts go last, after the
    // hosts file and resolv.conf: a container never sees the kubelet's files, as on a real node.
    const sources = [...spec.mounts.map((m) => m.source), spec.hostsFile, spec.resolvConf].filter(
      (s): s is string => s !== undefined,
    );
    const covers = (m: Mount) =>
      sources.some((s) => s !== m.source && s.startsWith(`${m.target.replace(/\/+$/, "")}/`));
    const bind = (m: Mount) => {
      // A mount point inside an earlier mount (a subPath file in an emptyDir) does not exist on the
      // machine: create it inside the namespace, as a container runtime does in the container's root.
      const target = quote(m.target);
      lines.push(
        m.isFile
          ? `[ -e ${target} ] || { mkdir -p "$(dirname ${target})" && : > ${target}; }`
          : `[ -e ${target} ] || mkdir -p ${target}`,
      );
      lines.push(`mount --bind ${quote(m.source)} ${target}`);
      if (m.readOnly) lines.push(`mount -o remount,bind,ro ${target}`);
    };
    for (const m of spec.mounts) if (!covers(m)) bind(m);
    if (spec.hostsFile) lines.push(`mount --bind ${quote(spec.hostsFile)} /etc/hosts`);
    if (spec.resolvConf && existsSync("/etc/resolv.conf"))
      lines.push(`mount --bind ${quote(spec.resolvConf)} /etc/resolv.conf`);
    for (const m of spec.mounts) if (covers(m)) bind(m);
  }
  if (spec.workingDir) lines.push(`cd ${quote(spec.workingDir)}`);
  lines.push('exec "$@"');
  return lines.join("\n");
}

export function launchContainer(spec: LaunchSpec): ChildProcess {
  const script = launchScript(spec);
  const shell = ["/bin/sh", "-c", script, "sh", ...spec.argv];
  const [command, ...args] = spec.netnsPath
    ? [
        "nsenter",
        `--net=${spec.netnsPath}`,
        "--",
        "unshare",
        "--mount",
        "--uts",
        "--propagation",
        "private",
        "--",
        ...shell,
      ]
    : shell;
  return spawn(command!, args, { env: spec.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
}
