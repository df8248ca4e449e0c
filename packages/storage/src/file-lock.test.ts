import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LockTimeoutError, withFileLock } from "./file-lock.ts";

const directories: string[] = [];
afterEach(async () => {
  for (const directory of directories.splice(0)) await rm(directory, { recursive: true, force: true });
});

async function lockPath(): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), "bosun-lock-"));
  directories.push(directory);
  return path.join(directory, "lock");
}

/** A pid that no process has: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", "0"]);
  await new Promise((resolve) => child.on("exit", resolve));
  return child.pid!;
}

describe("withFileLock", () => {
  it("holds the lock with a complete token while the body runs, and removes it after", async () => {
    const lock = await lockPath();
    const seen = await withFileLock(lock, 1_000, () => readFile(lock, "utf8"));
    expect(seen).toMatch(new RegExp(`^${process.pid} [0-9a-f]{12}$`));
    await expect(readFile(lock, "utf8")).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("serialises bodies of concurrent holders", async () => {
    const lock = await lockPath();
    const order: string[] = [];
    const body = (name: string) => async () => {
      order.push(`${name} in`);
      await new Promise((resolve) => setTimeout(resolve, 30));
      order.push(`${name} out`);
    };
    await Promise.all([withFileLock(lock, 5_000, body("a")), withFileLock(lock, 5_000, body("b"))]);
    expect(order).toHaveLength(4);
    expect(order[0]!.split(" ")[0]).toBe(order[1]!.split(" ")[0]);
    expect(order[2]!.split(" ")[0]).toBe(order[3]!.split(" ")[0]);
  });

  it("takes over at once a lock whose holder process is gone", async () => {
    const lock = await lockPath();
    await writeFile(lock, `${await deadPid()} abcdef`);
    const started = Date.now();
    expect(await withFileLock(lock, 10_000, async () => "held")).toBe("held");
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("takes over an empty lock left by a process killed while writing it, once it is a few seconds old", async () => {
    const lock = await lockPath();
    await writeFile(lock, "");
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    const started = Date.now();
    expect(await withFileLock(lock, 10_000, async () => "held")).toBe("held");
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("waits for a live holder and says who holds it when it gives up", async () => {
    const lock = await lockPath();
    await writeFile(lock, `${process.pid} livelock`);
    await expect(withFileLock(lock, 200, async () => "never")).rejects.toBeInstanceOf(LockTimeoutError);
    await expect(withFileLock(lock, 200, async () => "never")).rejects.toThrow(
      `held by process ${process.pid}`,
    );
    expect(await readFile(lock, "utf8")).toBe(`${process.pid} livelock`);
  });
});
