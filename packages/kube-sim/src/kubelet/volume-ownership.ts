import { chmod, lchown, lstat, readdir } from "node:fs/promises";
import path from "node:path";

/**
 * The kubelet's volume ownership management for a pod's `fsGroup`: every file and directory of a
 * volume that supports it (emptyDir, configMap, secret, projected, downwardAPI, PersistentVolumeClaim;
 * not hostPath) gets the group fsGroup and group read (read-only volumes) or read-write permission;
 * directories also get group execute and setgid, so files created later inherit the group. With
 * `fsGroupChangePolicy: OnRootMismatch` a volume whose root already matches is left alone.
 */
const SETGID = 0o2000;

function wanted(mode: number, isDir: boolean, readOnly: boolean): number {
  let mask = readOnly ? 0o440 : 0o660;
  if (isDir) mask |= SETGID | 0o110;
  return (mode & 0o7777) | mask;
}

export async function applyFsGroup(
  root: string,
  fsGroup: number,
  readOnly: boolean,
  policy: "Always" | "OnRootMismatch" = "Always",
): Promise<void> {
  const top = await lstat(root);
  if (
    policy === "OnRootMismatch" &&
    top.gid === fsGroup &&
    (top.mode & 0o7777) === wanted(top.mode, top.isDirectory(), readOnly)
  )
    return;
  const visit = async (file: string): Promise<void> => {
    const info = await lstat(file).catch((error: NodeJS.ErrnoException) => {
      // Removed meanwhile (a previous pod's process still exiting): nothing to own.
      if (error.code === "ENOENT") return undefined;
      throw error;
    });
    if (!info || info.isSymbolicLink()) return;
    if (info.gid !== fsGroup) await lchown(file, -1, fsGroup);
    const mode = wanted(info.mode, info.isDirectory(), readOnly);
    if ((info.mode & 0o7777) !== mode) await chmod(file, mode);
    if (info.isDirectory()) for (const entry of await readdir(file)) await visit(path.join(file, entry));
  };
  await visit(root);
}
