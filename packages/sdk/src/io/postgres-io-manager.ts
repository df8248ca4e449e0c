import type { OutputBlobStorage } from "@bosun/core";
import { z } from "zod";
import {
  type InputContext,
  type IoManager,
  type OutputContext,
  OutputNotFoundError,
} from "../definitions/io-manager.ts";
import { resource } from "../definitions/resource.ts";
import { decodeValue, encodeValue } from "./serialization.ts";

export const DEFAULT_POSTGRES_OUTPUT_LIMIT_BYTES = 10 * 1024 * 1024;

/**
 * An output larger than the PostgreSQL IO manager's `max_bytes`; names the step, the output, its size and the
 * limit.
 */
export class OutputTooLargeError extends Error {
  constructor(
    readonly stepKey: string,
    readonly outputName: string,
    readonly sizeBytes: number,
    readonly limitBytes: number,
  ) {
    super(
      `output "${outputName}" of step "${stepKey}" is ${sizeBytes} bytes, over the PostgreSQL IO manager's limit of ${limitBytes} bytes; raise max_bytes in its config or store large outputs in object storage`,
    );
    this.name = "OutputTooLargeError";
  }
}

/**
 * Stores outputs in the instance's PostgreSQL, so steps running on different machines (one pod per
 * step) can pass values. Meant for modest values: beyond `max_bytes` (default 10 MiB) it fails clearly
 * with `OutputTooLargeError`.
 *
 * @example
 * export default defineDefinitions({
 *   jobs: [sumJob],
 *   resources: { io_manager: postgresIoManager({ maxBytes: 1024 * 1024 }) },
 * });
 */
export function postgresIoManager(options: { maxBytes?: number } = {}) {
  return resource({
    description: "Stores outputs in the instance's PostgreSQL (size-limited)",
    config: z.object({ max_bytes: z.number().int().positive().optional() }).strict().optional(),
    setup: ({ config, outputBlobs }): IoManager =>
      new PostgresIoManager(
        outputBlobs,
        config?.max_bytes ?? options.maxBytes ?? DEFAULT_POSTGRES_OUTPUT_LIMIT_BYTES,
      ),
  });
}

class PostgresIoManager implements IoManager {
  readonly reach = "cluster" as const;
  constructor(
    private readonly blobs: OutputBlobStorage,
    private readonly limitBytes: number,
  ) {}

  private address(ctx: OutputContext): [string, string, string] {
    if (ctx.assetKey) return ["__assets__", ctx.assetKey, ctx.partitionKey ?? ""];
    return [ctx.runId, ctx.stepKey, ctx.outputName];
  }

  async handleOutput(ctx: OutputContext, value: unknown): Promise<void> {
    const bytes = encodeValue(value);
    if (bytes.byteLength > this.limitBytes) {
      throw new OutputTooLargeError(ctx.stepKey, ctx.outputName, bytes.byteLength, this.limitBytes);
    }
    await this.blobs.put(...this.address(ctx), bytes);
  }

  async loadInput(ctx: InputContext): Promise<unknown> {
    const address = this.address(ctx.upstream);
    const bytes = await this.blobs.get(...address);
    if (!bytes) throw new OutputNotFoundError(`PostgreSQL output ${address.join("/")}`);
    return decodeValue(bytes);
  }
}
