import { readFile } from "node:fs/promises";
import { parse } from "yaml";

/**
 * How a container image maps to a local program. Kubernetes semantics are kept: a container's
 * `command` replaces the image's `entrypoint`, and its `args` replace the image's `cmd`.
 *
 * ```yaml
 * images:
 *   "busybox:*": {}                      # the container's own command runs on this machine
 *   "bosun/bosun:*":
 *     entrypoint: ["node", "/repo/packages/cli/bin/bosun.js"]
 *     env: { NODE_OPTIONS: "--enable-source-maps" }
 *   "postgres:*":
 *     entrypoint: ["/path/to/postgres-entrypoint.sh"]
 *     stopSignal: SIGINT                  # PostgreSQL's fast shutdown, as the image's STOPSIGNAL
 * ```
 */
export interface ImageSpec {
  readonly entrypoint?: readonly string[];
  readonly cmd?: readonly string[];
  /** Environment the image provides (the container's `env` overrides it). */
  readonly env?: Readonly<Record<string, string>>;
  /** Directories put in front of PATH for this image. */
  readonly path?: readonly string[];
  /** Default working directory (the container's `workingDir` overrides it). */
  readonly workingDir?: string;
  /** Signal that asks the container to stop, like an image's STOPSIGNAL; default SIGTERM. */
  readonly stopSignal?: NodeJS.Signals;
}

/** Image pattern (`*` matches any run of characters) → spec. A bare string array is an entrypoint. */
export type ImageMap = Readonly<Record<string, ImageSpec | readonly string[]>>;

function patternToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`);
}

export class ImageResolver {
  private readonly entries: { pattern: string; test: RegExp; spec: ImageSpec }[];

  constructor(map: ImageMap = {}) {
    this.entries = Object.entries(map).map(([pattern, value]) => ({
      pattern,
      test: patternToRegExp(pattern),
      spec: Array.isArray(value) ? { entrypoint: value as string[] } : (value as ImageSpec),
    }));
  }

  /** The spec for `image`; the first matching pattern wins. Undefined when unmapped. */
  resolve(image: string): ImageSpec | undefined {
    const candidates = image.includes(":") || image.includes("@") ? [image] : [image, `${image}:latest`];
    for (const entry of this.entries) if (candidates.some((c) => entry.test.test(c))) return entry.spec;
    return undefined;
  }

  patterns(): string[] {
    return this.entries.map((e) => e.pattern);
  }
}

/** Reads an image map file: either `{ images: {...} }` or the map itself. */
export async function loadImageMap(file: string): Promise<ImageMap> {
  const parsed = parse(await readFile(file, "utf8")) as { images?: ImageMap } | ImageMap | null;
  if (!parsed || typeof parsed !== "object") throw new Error(`${file}: expected a mapping of image patterns`);
  const map = ("images" in parsed && typeof parsed.images === "object" ? parsed.images : parsed) as ImageMap;
  for (const [pattern, value] of Object.entries(map)) {
    if (value === null || typeof value !== "object")
      throw new Error(`${file}: images.${pattern}: expected an object or a list of strings`);
    if (!Array.isArray(value)) {
      for (const key of Object.keys(value)) {
        if (!["entrypoint", "cmd", "env", "path", "workingDir", "stopSignal"].includes(key))
          throw new Error(
            `${file}: images.${pattern}.${key}: unknown field (expected entrypoint, cmd, env, path, workingDir or stopSignal)`,
          );
      }
    }
  }
  return map;
}
