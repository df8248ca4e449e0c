import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";

/** A lock file whose holder is not seen is taken over after this long even when it names no process. */
const UNREADABLE_LOCK_GRACE_MS = 5_000;

/** Another process held the lock for longer than the caller would wait. */
export class LockTimeoutError extends Error {
  constructor(
    readonly lockPath: string,
    readonly holder: number | null,
  ) {
    super(`timed out waiting for ${lockPath} (held by process ${holder ?? "unknown"})`);
    this.name = "LockTimeoutError";
  }
}

/**
 * Runs `body` while holding the lock file `lockPath`, shared by the processes of one machine.
 *
 * The file appears complete or not at all: the holder's token (`<pid> <random>`) is written to a file of
 * its own and hard-linked into place, so no reader ever sees an empty lock (a process killed between
 * creating and writing the file used to leave one that everyone waited on). A lock whose holder process
 * is gone is taken over at once; one that names no process (left by an older Bosun) after a few seconds.
 * Taking over renames the stale file aside first, so two processes that both judge it stale cannot both
 * win: the second rename finds nothing.
 */
export async function withFileLock<T>(
  lockPath: string,
  timeoutMs: number,
  body: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const token = `${process.pid} ${randomBytes(6).toString("hex")}`;
  const staged = `${lockPath}.${process.pid}.${randomBytes(4).toString("hex")}`;
  await fs.writeFile(staged, token);
  try {
    for (;;) {
      if (await linkIfAbsent(staged, lockPath)) break;
      const stale = await staleContent(lockPath);
      if (stale !== null) {
        await takeOver(lockPath, stale);
        continue;
      }
      if (Date.now() > deadline) throw new LockTimeoutError(lockPath, await holderOf(lockPath));
      await new Promise((resolve) => setTimeout(resolve, 25 + Math.random() * 50));
    }
  } finally {
    await fs.rm(staged, { force: true });
  }
  try {
    return await body();
  } finally {
    const current = await fs.readFile(lockPath, "utf8").catch(() => "");
    if (current === token) await fs.rm(lockPath, { force: true });
  }
}

async function linkIfAbsent(source: string, target: string): Promise<boolean> {
  try {
    await fs.link(source, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/** The lock's content when its holder is gone (or it names none and is old), else null. */
async function staleContent(lockPath: string): Promise<string | null> {
  let content: string;
  let modified: number;
  try {
    [content, modified] = await Promise.all([
      fs.readFile(lockPath, "utf8"),
      fs.stat(lockPath).then((stat) => stat.mtimeMs),
    ]);
  } catch (error) {
    // Released between our attempt and this look: try again at once.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw error;
  }
  const holder = parseHolder(content);
  if (holder !== null) return isAlive(holder) ? null : content;
  return Date.now() - modified > UNREADABLE_LOCK_GRACE_MS ? content : null;
}

/** Moves a stale lock aside; if what was moved turns out to be a newer holder's lock, puts it back. */
async function takeOver(lockPath: string, stale: string): Promise<void> {
  const aside = path.join(
    path.dirname(lockPath),
    `.${path.basename(lockPath)}.stale.${randomBytes(4).toString("hex")}`,
  );
  try {
    await fs.rename(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  const moved = await fs.readFile(aside, "utf8").catch(() => stale);
  if (moved !== stale) await linkIfAbsent(aside, lockPath);
  await fs.rm(aside, { force: true });
}

async function holderOf(lockPath: string): Promise<number | null> {
  return parseHolder(await fs.readFile(lockPath, "utf8").catch(() => ""));
}

function parseHolder(content: string): number | null {
  const pid = Number(content.split(" ")[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** Whether a process with this pid exists on this machine (EPERM: it exists, owned by someone else). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
