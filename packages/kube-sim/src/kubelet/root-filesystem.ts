import { readFileSync } from "node:fs";

/**
 * What `readOnlyRootFilesystem` makes read-only. A kube-sim container's "image" is this machine's
 * file system, seen through the container's private mount namespace, so its root file system is every
 * mount of the machine except the kernel's own trees (/proc, /sys, /dev, which a container runtime
 * provides separately) and namespace files. The launcher remounts each of those read-only inside the
 * container's mount namespace, after its volumes are bound; a mount hidden under a volume is skipped.
 */
export interface MountEntry {
  readonly mountPoint: string;
  readonly fsType: string;
  readonly readOnly: boolean;
}

/** Undoes mountinfo's octal escapes (`\040` for a space). */
const decodeOctal = (s: string) =>
  s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));

export function parseMountInfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split("\n")) {
    const fields = line.split(" ");
    const dash = fields.indexOf("-");
    if (fields.length < 7 || dash < 6) continue;
    entries.push({
      mountPoint: decodeOctal(fields[4]!),
      readOnly: fields[5]!.split(",").includes("ro"),
      fsType: fields[dash + 1] ?? "",
    });
  }
  return entries;
}

const KERNEL_TREES = ["/proc", "/sys", "/dev"];

const within = (p: string, dir: string) => p === dir || p.startsWith(dir === "/" ? "/" : `${dir}/`);

/**
 * The mount points to remount read-only, parents first: writable mounts outside the kernel's trees,
 * not namespace files, and not at or under a path the container gets a volume (or generated file) at.
 */
export function rootFilesystemMounts(
  mounts: readonly MountEntry[],
  volumeTargets: readonly string[],
): string[] {
  const targets = volumeTargets.map((t) => t.replace(/\/+$/, "") || "/");
  const out: string[] = [];
  for (const m of mounts) {
    if (m.readOnly || m.fsType === "nsfs") continue;
    if (KERNEL_TREES.some((dir) => within(m.mountPoint, dir))) continue;
    if (targets.some((t) => t !== "/" && within(m.mountPoint, t))) continue;
    if (!out.includes(m.mountPoint)) out.push(m.mountPoint);
  }
  return out;
}

/** This process's mounts (which a container's new mount namespace starts as a copy of). */
export function machineMounts(): MountEntry[] {
  return parseMountInfo(readFileSync("/proc/self/mountinfo", "utf8"));
}
