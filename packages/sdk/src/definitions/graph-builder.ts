import { didYouMean } from "@bosun/core";
import { DefinitionError } from "./definition-error.ts";
import type { GraphNode, InputBinding, NodeComputation } from "./graph-model.ts";

const HANDLE = Symbol.for("bosun.outputHandle");

/** What calling an op inside a job's `build` returns: a reference to one of its outputs. */
export interface OutputHandle<T = unknown> {
  readonly [HANDLE]: true;
  readonly node: string;
  readonly output: string;
  /** Phantom field so handles carry the output's type. */
  readonly __type?: T;
}

export function isOutputHandle(value: unknown): value is OutputHandle {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[HANDLE] === true;
}

function makeHandle(node: string, output: string): OutputHandle {
  return Object.freeze({ [HANDLE]: true as const, node, output });
}

/**
 * Records op invocations while a job's or graph's `build` function runs. Builders nest: a graph called
 * inside a job pushes its name as a prefix, so its ops become `graph_name.op_name`.
 */
class GraphBuilder {
  readonly nodes: GraphNode[] = [];
  private readonly prefixes: string[] = [];
  private readonly usedNames = new Set<string>();

  /** How errors name the job, `job "name"`. */
  readonly ownerName: string;

  constructor(readonly jobName: string) {
    this.ownerName = `job "${jobName}"`;
  }

  withPrefix<T>(prefix: string, fn: () => T): T {
    this.prefixes.push(prefix);
    try {
      return fn();
    } finally {
      this.prefixes.pop();
    }
  }

  /** A free node name: the alias, or the op's name, suffixed `_2`, `_3`... when called again. */
  claimName(base: string, explicitAlias: boolean): string {
    const path = [...this.prefixes, base].join(".");
    if (!this.usedNames.has(path)) {
      this.usedNames.add(path);
      return path;
    }
    if (explicitAlias) {
      throw new DefinitionError("DUPLICATE_NAME", `${this.ownerName}: two nodes are named "${path}"`, [path]);
    }
    for (let n = 2; ; n++) {
      const candidate = `${path}_${n}`;
      if (!this.usedNames.has(candidate)) {
        this.usedNames.add(candidate);
        return candidate;
      }
    }
  }

  addNode(computation: NodeComputation, name: string, inputs: Record<string, unknown>): void {
    const declared = computation.inputNames;
    const bindings: Record<string, InputBinding> = {};
    for (const [inputName, value] of Object.entries(inputs)) {
      if (!declared.includes(inputName)) {
        throw new DefinitionError(
          "UNKNOWN_INPUT",
          `${this.ownerName}: op "${name}" has no input "${inputName}"${didYouMean(inputName, declared)} (${declared.length > 0 ? `inputs: ${declared.join(", ")}` : `it declares no inputs; declare them with ins: { ${inputName}: input<T>() }`})`,
          [this.jobName, name, inputName],
        );
      }
      bindings[inputName] = this.bindingFor(name, inputName, value);
    }
    // Without this, the step would run and receive `undefined` for the input.
    const unwired = declared.filter((inputName) => !(inputName in bindings));
    if (unwired.length > 0) {
      throw new DefinitionError(
        "UNWIRED_INPUT",
        `${this.ownerName}: op "${name}" needs input${unwired.length > 1 ? "s" : ""} ${unwired.map((i) => `"${i}"`).join(", ")}, which ${unwired.length > 1 ? "are" : "is"} not wired; pass the output of another op: ${name.split(".").pop()}({ ${unwired.map((i) => `${i}: ...`).join(", ")} })`,
        [this.jobName, name, ...unwired],
      );
    }
    this.nodes.push({ name, computation, inputs: bindings });
  }

  private bindingFor(node: string, inputName: string, value: unknown): InputBinding {
    if (isOutputHandle(value)) return { kind: "output", node: value.node, output: value.output };
    if (Array.isArray(value) && value.every(isOutputHandle)) {
      return { kind: "fanIn", sources: value.map((h) => ({ node: h.node, output: h.output })) };
    }
    throw new DefinitionError(
      "INVALID_GRAPH",
      `${this.ownerName}: input "${inputName}" of "${node}" must be the output of another op (or an array of them), got ${describe(value)}; pass constant values through op config instead`,
      [node],
    );
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array containing something that is not an op output";
  return typeof value;
}

let current: GraphBuilder | null = null;

/** Runs `build` with a fresh builder and returns the nodes it declared. */
export function collectGraph(jobName: string, build: () => void): GraphNode[] {
  const previous = current;
  const builder = new GraphBuilder(jobName);
  current = builder;
  try {
    build();
  } finally {
    current = previous;
  }
  return builder.nodes;
}

export function activeBuilder(what: string): GraphBuilder {
  if (!current) {
    throw new DefinitionError(
      "INVALID_GRAPH",
      `${what} was called outside a job's or graph's build function; call ops only inside build: () => { ... }`,
      [what],
    );
  }
  return current;
}

/** Invokes a computation in the active builder and returns handles to its outputs. */
export function invokeComputation(
  computation: NodeComputation,
  alias: string | undefined,
  inputs: Record<string, unknown> | undefined,
): OutputHandle | Record<string, OutputHandle> {
  const builder = activeBuilder(`op "${computation.opName}"`);
  const name = builder.claimName(alias ?? computation.opName, alias !== undefined);
  builder.addNode(computation, name, inputs ?? {});
  if (computation.outputs.length === 1 && computation.outputs[0] === "result")
    return makeHandle(name, "result");
  return Object.fromEntries(computation.outputs.map((output) => [output, makeHandle(name, output)]));
}

export function invokeGraph<T>(graphName: string, alias: string | undefined, build: () => T): T {
  const builder = activeBuilder(`graph "${graphName}"`);
  const prefix = builder.claimName(alias ?? graphName, alias !== undefined);
  // The graph's own name is claimed; its nodes live under it without the outer path repeated.
  const last = prefix.split(".").pop() ?? prefix;
  return builder.withPrefix(last, build);
}
