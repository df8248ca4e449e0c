import type { ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { FIXTURES, startBosun } from "@bosun/test-support";

export const QUICKSTART = fileURLToPath(
  new URL("../../../examples/quickstart/definitions.ts", import.meta.url),
);
export const ENGINE_LOCATION = FIXTURES.engine;
export const CODE_SERVER_LOCATION = FIXTURES.codeServer;
export const BROKEN_LOCATION = FIXTURES.codeServerBroken;

export interface CodeServerProcess {
  readonly child: ChildProcess;
  readonly address: string;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after 5 s; resolves once it has exited. */
  stop(): Promise<void>;
}

/** Starts `bosun api grpc <args> --port 0` and waits for its listening line. */
export async function startCodeServerProcess(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<CodeServerProcess> {
  const { child, done } = startBosun(["api", "grpc", "--port", "0", ...args], env);
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const exited = done.then(({ code, signal }) => ({ code, signal }));
  const address = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const match = /^code server listening on (\S+)$/.exec(line);
      if (match) resolve(match[1]!);
    });
    void exited.then(({ code }) => reject(new Error(`code server exited with ${code}:\n${stderr}`)));
  });
  return {
    child,
    address,
    stderr: () => stderr,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
