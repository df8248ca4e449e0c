import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { type MountEntry, rootFilesystemMounts } from "./root-filesystem.ts";

/**
 * Starts one container process. In namespaces mode the process enters the pod's network
 * namespace and a private mount and UTS namespace in which its volumes are bind-mounted at their
 * mount paths and the generated hosts file over /etc/hosts; the launcher script then `exec`s the
 * program, so the process id is the container's. The process leads its own process group so
 * signals reach its children too. Generated passwd and group files (naming a runAsUser the machine
 * does not know) are bound over /etc/passwd and /etc/group; with `readOnlyRoot` every other mount
 * of the machine is then remounted read-only in the container's namespace (volumes keep their own
 * flags); last, `exec` goes through `user` (setpriv) to drop to the container's uid and gids.
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
  /** Generated files bound over /etc/passwd and /etc/group (namespaces mode). */
  readonly passwdFile?: string | undefined;
  readonly groupFile?: string | undefined;
  /** The machine's mounts, to make read-only (readOnlyRootFilesystem; namespaces mode). */
  readonly readOnlyRoot?: readonly MountEntry[] | undefined;
  /** Command prefix that switches to the container's user before the program runs (setpriv … --). */
  readonly user?: readonly string[] | undefined;
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
    const sources = [
      ...spec.mounts.map((m) => m.source),
      spec.hostsFile,
      spec.resolvConf,
      spec.passwdFile,
      spec.groupFile,
    ].filter((s): s is string => s !== undefined);
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
    if (spec.passwdFile) lines.push(`mount --bind ${quote(spec.passwdFile)} /etc/passwd`);
    if (spec.groupFile) lines.push(`mount --bind ${quote(spec.groupFile)} /etc/group`);
    for (const m of spec.mounts) if (covers(m)) bind(m);
    if (spec.readOnlyRoot) {
      const targets = [
        ...spec.mounts.map((m) => m.target),
        "/etc/hosts",
        "/etc/resolv.conf",
        "/etc/passwd",
        "/etc/group",
      ];
      for (const mountPoint of rootFilesystemMounts(spec.readOnlyRoot, targets))
        lines.push(`mount -o remount,bind,ro ${quote(mountPoint)}`);
    }
  }
  if (spec.workingDir) lines.push(`cd ${quote(spec.workingDir)}`);
  lines.push(`exec ${(spec.user ?? []).map(quote).join(" ")}${spec.user?.length ? " " : ""}"$@"`);
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
