import type { JsonValue } from "@bosun/core";
import type { z } from "zod";
import type { OpContext } from "./op-context.ts";
import type { PartitionsDefinition } from "./partitions.ts";
import type { RetryPolicy } from "./retry-policy.ts";

/** Where one input of a node gets its value. */
export type InputBinding =
  | { readonly kind: "output"; readonly node: string; readonly output: string }
  /** Fan-in: the values of several outputs, in order, as an array. */
  | {
      readonly kind: "fanIn";
      readonly sources: readonly { readonly node: string; readonly output: string }[];
    }
  /** An upstream asset that is not part of this run: loaded from its IO manager's storage. */
  | { readonly kind: "asset"; readonly assetKey: string; readonly ioManagerKey: string };

export type ComputeFn = (ctx: OpContext<any, any>, inputs: Record<string, unknown>) => unknown;

/**
 * The computation behind a node: an op, or the op an asset is made of. Everything the engine needs to
 * run one step, and nothing about where its inputs come from.
 */
export interface NodeComputation {
  readonly opName: string;
  readonly description: string | undefined;
  readonly configSchema: z.ZodType | undefined;
  /** Declared input names: every invocation must give each of them a value, and no other. */
  readonly inputNames: readonly string[];
  /** Output names; a single-output op has `["result"]`. */
  readonly outputs: readonly string[];
  readonly requiredResources: readonly string[];
  readonly tags: Readonly<Record<string, JsonValue>>;
  readonly retryPolicy: RetryPolicy | undefined;
  readonly ioManagerKey: string;
  readonly assetKey: string | null;
  readonly partitions: PartitionsDefinition | undefined;
  readonly codeVersion: string | undefined;
  readonly run: ComputeFn;
}

/** One invocation of a computation in a job's graph. `name` is its path and its step key. */
export interface GraphNode {
  readonly name: string;
  readonly computation: NodeComputation;
  readonly inputs: Readonly<Record<string, InputBinding>>;
  /**
   * Nodes that must succeed before this one although it does not read their outputs (an asset's
   * `deps: [...]`). Absent when there are none.
   */
  readonly after?: readonly string[];
}

/** The resolved graph of a job: nodes in the order they were declared. */
export interface JobGraph {
  readonly nodes: readonly GraphNode[];
}

export const DEFAULT_OUTPUT = "result";
/**
 * Resource key of the IO manager that stores outputs unless an op or asset names another (`ioManagerKey`).
 */
export const DEFAULT_IO_MANAGER_KEY = "io_manager";
