import { existsSync } from "node:fs";
import net from "node:net";
import { CliError } from "./cli-error.ts";
import type { WorkspaceSource } from "./workspace-source.ts";

/**
 * What `bosun dev` and `bosun webserver` check before they start anything (a database, code servers, a
 * daemon): that the code location or workspace file exists and that the port is free. Each problem is
 * one clear message and exit code 2, instead of a half-started system looping on the error.
 */
export async function checkBeforeStart(
  source: WorkspaceSource,
  listen: { readonly host: string; readonly port: number },
): Promise<void> {
  const file = "file" in source ? source.file : source.workspaceFile;
  if (!existsSync(file)) {
    const what = "file" in source ? "code location file" : "workspace file";
    const hint = "file" in source ? "" : " (give one with -w, or a code location file with -f)";
    throw new CliError(`${what} ${file} does not exist${hint}`, 2);
  }
  if (listen.port !== 0 && !(await portIsFree(listen.host, listen.port))) {
    throw new CliError(
      `port ${listen.port} on ${listen.host} is already in use (another bosun dev?); choose another with --port`,
      2,
    );
  }
}

function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
