import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { BosunCommand } from "@bosun/core";

/** Path of the `bosun` executable (packages/cli/bin/bosun.js). */
export const BOSUN_BIN = fileURLToPath(new URL("../../cli/bin/bosun.js", import.meta.url));

/** How a `bosun` process ended and what it printed. */
export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts the real `bosun` CLI as a process with Node 24 (the one running the tests). */
export function startBosun(
  args: readonly string[],
  env: Record<string, string>,
  cwd?: string,
): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [BOSUN_BIN, ...args], {
    env: { ...process.env, ...env },
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const done = new Promise<CliResult>((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

/** Runs `bosun` with `args` to completion. */
export function runBosun(
  args: readonly string[],
  env: Record<string, string>,
  cwd?: string,
): Promise<CliResult> {
  return startBosun(args, env, cwd).done;
}

/** The `bosun` command for code servers and run workers that tests start through Bosun's own packages. */
export const BOSUN_COMMAND: BosunCommand = { file: process.execPath, args: [BOSUN_BIN] };
