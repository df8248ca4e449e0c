/**
 * The UI's production build (`vite build` into packages/ui/dist), made when missing or older than its
 * sources. Used by the browser tests and the UI bench; no test-runner imports, so plain scripts can use it.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root directory. */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const UI_ROOT = path.join(REPO_ROOT, "packages/ui");
/** Where the UI's production build lands (packages/ui/dist). */
export const UI_DIST = path.join(UI_ROOT, "dist");

function newestMtime(entry: string): number {
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(entry)) {
    if (name.endsWith(".test.ts")) continue;
    newest = Math.max(newest, newestMtime(path.join(entry, name)));
  }
  return newest;
}

/** True when `dist/index.html` is older than any source of the UI. */
export function uiBuildIsStale(): boolean {
  const built = path.join(UI_DIST, "index.html");
  if (!existsSync(built)) return true;
  const sources = ["src", "public", "index.html", "vite.config.ts", "package.json"].map((p) =>
    path.join(UI_ROOT, p),
  );
  const newestSource = Math.max(...sources.filter((p) => existsSync(p)).map(newestMtime));
  return newestSource > statSync(built).mtimeMs;
}

/**
 * Builds the UI with Vite when the build is missing or stale. Test files run in parallel, so the build is
 * done under a lock directory; the others wait for it and then see a fresh build.
 */
export async function ensureUiBuilt(): Promise<void> {
  if (!uiBuildIsStale()) return;
  const lock = path.join(UI_ROOT, ".build-lock");
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Someone else builds; a lock older than three minutes belongs to a build that died.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // gone meanwhile
      }
      if (Date.now() > deadline) throw new Error("timed out waiting for another UI build");
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    if (!uiBuildIsStale()) return;
    const vite = path.join(REPO_ROOT, "node_modules/vite/bin/vite.js");
    const result = spawnSync(process.execPath, [vite, "build", "--logLevel", "warn"], {
      cwd: UI_ROOT,
      encoding: "utf8",
      timeout: 170_000,
    });
    if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
