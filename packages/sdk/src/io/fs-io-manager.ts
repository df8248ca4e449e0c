import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import {
  type InputContext,
  type IoManager,
  type OutputContext,
  OutputNotFoundError,
} from "../definitions/io-manager.ts";
import { resource } from "../definitions/resource.ts";
import { decodeValue, encodeValue } from "./serialization.ts";

/**
 * Stores outputs as files: op outputs under `<base>/runs/<run id>/<step key>/<output>`, assets under
 * `<base>/assets/<key path>[/<partition>]`. Values reach every process on this machine, not other
 * machines (use the PostgreSQL IO manager when steps run in separate pods). The default `io_manager`;
 * run config can move it with `resources.io_manager.config.base_dir`.
 *
 * @example
 * export default defineDefinitions({
 *   jobs: [sumJob],
 *   resources: { io_manager: fsIoManager({ baseDir: "/data/bosun" }) },
 * });
 */
export function fsIoManager(options: { baseDir?: string } = {}) {
  return resource({
    description: "Stores outputs as files under $BOSUN_HOME/storage",
    config: z.object({ base_dir: z.string().optional() }).strict().optional(),
    setup: ({ config, bosunHome }): IoManager => {
      const base = config?.base_dir ?? options.baseDir ?? path.join(bosunHome, "storage");
      return new FsIoManager(base);
    },
  });
}

class FsIoManager implements IoManager {
  readonly reach = "machine" as const;
  constructor(private readonly base: string) {}

  private pathFor(ctx: OutputContext): string {
    if (ctx.assetKey)
      return path.join(
        this.base,
        "assets",
        ...ctx.assetKey.split("/"),
        ...(ctx.partitionKey ? [ctx.partitionKey] : []),
      );
    return path.join(this.base, "runs", ctx.runId, ctx.stepKey, ctx.outputName);
  }

  async handleOutput(ctx: OutputContext, value: unknown): Promise<void> {
    const file = this.pathFor(ctx);
    await mkdir(path.dirname(file), { recursive: true });
    // Write then rename, so a reader never sees half a value.
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, encodeValue(value));
    await rename(temporary, file);
  }

  async loadInput(ctx: InputContext): Promise<unknown> {
    const file = this.pathFor(ctx.upstream);
    try {
      return decodeValue(await readFile(file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new OutputNotFoundError(file);
      throw error;
    }
  }
}
