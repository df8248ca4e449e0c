import { type FSWatcher, readdirSync, watch } from "node:fs";
import path from "node:path";
import { loadWorkspaceConfig, singleFileWorkspace, type Workspace } from "@bosun/code-server";
import type { WorkspaceSource } from "./workspace-source.ts";

/** Folders whose changes are never a location's code. */
const IGNORED = new Set(["node_modules", ".bosun", ".git", "dist", ".cache"]);
/** Files that are code or data a location loads; logs and databases written nearby are not. */
const CODE_FILE = /\.(?:[cm]?[jt]sx?|json|ya?ml)$/;
/** Editors write a file in several steps; one reload after they are done. */
const SETTLE_MS = 300;

/**
 * `bosun dev --watch` (the default): reloads a local code location when a file in its folder, or in a
 * folder directly below it, changes — so fixing a load error or editing a job needs only a save. Each
 * location's folder is its working directory (a `module` location) or its file's folder. Folders are
 * watched one level deep, not the whole tree: a project's `node_modules` would cost thousands of
 * watches. Returns a function that stops watching.
 */
export function watchLocations(
  workspace: Workspace,
  source: WorkspaceSource,
  options: { readonly bosunHome: string; readonly print: (line: string) => void },
): () => void {
  const bosunHome = path.resolve(options.bosunHome);
  const config =
    "workspaceFile" in source ? loadWorkspaceConfig(source.workspaceFile) : singleFileWorkspace(source.file);
  const watchers: FSWatcher[] = [];
  for (const location of config.locations) {
    if (location.kind === "grpc_server") continue;
    const root =
      location.kind === "typescript_file" ? path.dirname(location.file) : location.workingDirectory;
    let timer: NodeJS.Timeout | null = null;
    const changed = (_event: string, name: string | Buffer | null) => {
      if (name && !CODE_FILE.test(String(name))) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        options.print(`location ${location.name}: files changed, reloading`);
        workspace.reload(location.name).catch(() => undefined);
      }, SETTLE_MS);
    };
    for (const folder of [root, ...subfolders(root)]) {
      if (folder === bosunHome || folder.startsWith(`${bosunHome}${path.sep}`)) continue;
      try {
        watchers.push(watch(folder, changed));
      } catch {
        // A folder that went away between listing and watching: nothing to watch there.
      }
    }
  }
  return () => {
    for (const watcher of watchers) watcher.close();
  };
}

function subfolders(root: string): string[] {
  try {
    return readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !IGNORED.has(entry.name) && !entry.name.startsWith("."))
      .map((entry) => path.join(root, entry.name));
  } catch {
    return [];
  }
}
