import { CliError } from "./cli-error.ts";

export type WorkspaceSource = { readonly workspaceFile: string } | { readonly file: string };

/** `-w workspace.yaml` or `-f file.ts`; with neither, `./workspace.yaml`. */
export function workspaceSourceFrom(options: { workspace?: string; file?: string }): WorkspaceSource {
  if (options.workspace && options.file)
    throw new CliError("give either -w/--workspace or -f/--file, not both", 2);
  if (options.file) return { file: options.file };
  return { workspaceFile: options.workspace ?? "workspace.yaml" };
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError(`--port must be 0 to 65535, got ${JSON.stringify(value)}`, 2);
  return port;
}
