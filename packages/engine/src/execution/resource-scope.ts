import type { OutputBlobStorage } from "@bosun/storage";
import type { Definitions, RunLogger } from "bosun";
import type { ResolvedRunConfig } from "./run-config.ts";

export class ResourceSetupError extends Error {
  constructor(
    readonly resourceKey: string,
    options: { cause: unknown },
  ) {
    super(
      `resource "${resourceKey}" failed to set up: ${(options.cause as Error)?.message ?? String(options.cause)}`,
      options,
    );
    this.name = "ResourceSetupError";
  }
}

/**
 * The resources of one process working on one run: each set up on first use with its config from the
 * run config, shared by every step in the process, torn down in reverse order at the end.
 */
export class ResourceScope {
  private readonly values = new Map<string, Promise<unknown>>();
  private readonly order: string[] = [];

  constructor(
    private readonly definitions: Definitions,
    private readonly config: ResolvedRunConfig,
    private readonly environment: {
      readonly runId: string;
      readonly bosunHome: string;
      readonly outputBlobs: OutputBlobStorage;
      readonly log: RunLogger;
    },
  ) {}

  get(key: string): Promise<unknown> {
    let value = this.values.get(key);
    if (!value) {
      value = this.setUp(key);
      this.values.set(key, value);
      this.order.push(key);
    }
    return value;
  }

  async getAll(keys: readonly string[]): Promise<Record<string, unknown>> {
    const entries = await Promise.all(keys.map(async (key) => [key, await this.get(key)] as const));
    return Object.fromEntries(entries);
  }

  private async setUp(key: string): Promise<unknown> {
    const definition = this.definitions.resources.get(key);
    if (!definition)
      throw new ResourceSetupError(key, { cause: new Error("no such resource in the definitions") });
    try {
      return await definition.setup({ ...this.environment, config: this.config.resources.get(key) as never });
    } catch (error) {
      throw new ResourceSetupError(key, { cause: error });
    }
  }

  /** Tears down what was set up; returns the errors instead of throwing so every teardown runs. */
  async teardown(): Promise<unknown[]> {
    const errors: unknown[] = [];
    for (const key of [...this.order].reverse()) {
      const definition = this.definitions.resources.get(key);
      try {
        const value = await this.values.get(key);
        await definition?.teardown?.(value);
      } catch (error) {
        errors.push(error);
      }
    }
    this.values.clear();
    this.order.length = 0;
    return errors;
  }
}
