import type { OutputBlobStorage } from "@bosun/core";
import type { z } from "zod";
import type { RunLogger } from "./op-context.ts";

/** What a resource's `setup` receives. */
export interface ResourceSetupContext<C> {
  readonly config: C;
  readonly log: RunLogger;
  readonly runId: string;
  /** The instance's home directory (`$BOSUN_HOME`). */
  readonly bosunHome: string;
  /** Instance storage for outputs that must cross machines. */
  readonly outputBlobs: OutputBlobStorage;
}

/**
 * A resource as `resource` returns it: set up once per process that runs steps needing it, torn down at the
 * end.
 */
export interface ResourceDefinition<T = unknown, C = unknown> {
  readonly kind: "resource";
  readonly description: string | undefined;
  /** zod schema of its config, read from the run config at `resources.<key>.config`. */
  readonly configSchema: z.ZodType<C> | undefined;
  setup(ctx: ResourceSetupContext<C>): T | Promise<T>;
  teardown?(value: T): void | Promise<void>;
}

/**
 * Something ops share: a client, a connection, a setting. Set up once per process that runs steps
 * needing it, torn down at the end.
 *
 * @example
 * const db = resource({
 *   config: z.object({ url: z.string() }),
 *   setup: ({ config }) => new Pool({ connectionString: config.url }),
 *   teardown: (pool) => pool.end(),
 * });
 * export default defineDefinitions({ jobs: [sumJob], resources: { db } });
 */
export function resource<T, S extends z.ZodType | undefined = undefined>(options: {
  description?: string;
  config?: S;
  setup: (ctx: ResourceSetupContext<S extends z.ZodType ? z.output<S> : undefined>) => T | Promise<T>;
  teardown?: (value: T) => void | Promise<void>;
}): ResourceDefinition<T, S extends z.ZodType ? z.output<S> : undefined> {
  return {
    kind: "resource",
    description: options.description,
    configSchema: options.config as never,
    setup: options.setup,
    teardown: options.teardown,
  };
}

export function isResourceDefinition(value: unknown): value is ResourceDefinition {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "resource";
}

/** A plain value given in `resources` becomes a resource that returns it. */
export function constantResource<T>(value: T): ResourceDefinition<T, undefined> {
  return { kind: "resource", description: undefined, configSchema: undefined, setup: () => value };
}

/** Resources an op or asset declares it uses, by key. */
export type ResourceDefinitions = Readonly<Record<string, ResourceDefinition<unknown, unknown>>>;

/**
 * The type of `ctx.resources`: each declared definition's `setup` value under its key, and `unknown`
 * for keys only named in `requiredResources`. Undeclared keys are absent, as they are at runtime.
 */
export type ResourceValues<R, Req extends readonly string[] = []> = {
  readonly [K in keyof R]: R[K] extends ResourceDefinition<infer T, any> ? Awaited<T> : never;
} & { readonly [K in Req[number]]: unknown };

/** The resource keys a step sets up: declared definitions first, then `requiredResources`, without repeats. */
export function resourceKeys(
  declared: ResourceDefinitions | undefined,
  required: readonly string[] | undefined,
): string[] {
  return [...new Set([...Object.keys(declared ?? {}), ...(required ?? [])])];
}
