import { input, job, op } from "bosun";
import { describe, expect, it } from "vitest";
import { buildExecutionPlan } from "./plan.ts";

const source = op({ name: "source", run: async () => 1 });
const left = op({ name: "left", ins: { x: input<number>() }, run: async (_c, { x }) => x });
const right = op({ name: "right", ins: { x: input<number>() }, run: async (_c, { x }) => x });
const join = op({ name: "join", ins: { xs: input<number[]>() }, run: async (_c, { xs }) => xs });
const split = op({ name: "split", outs: ["evens", "odds"], run: async () => ({ evens: [2], odds: [1] }) });

describe("buildExecutionPlan", () => {
  it("orders steps topologically, keeping declaration order between independent steps", () => {
    const j = job({
      name: "diamond",
      build: () => {
        const x = source();
        join({ xs: [right({ x }), left({ x })] });
      },
    });
    const plan = buildExecutionPlan(j.graph());
    expect(plan.steps.map((s) => s.key)).toEqual(["source", "right", "left", "join"]);
    expect(plan.step("join").upstream).toEqual(["right", "left"]);
    expect(plan.downstreamOf("source")).toEqual(["right", "left"]);
  });

  it("gives the same step keys every time the graph is built", () => {
    const build = () => {
      const x = source();
      left({ x });
      left({ x });
    };
    const first = buildExecutionPlan(job({ name: "a", build }).graph()).steps.map((s) => s.key);
    const second = buildExecutionPlan(job({ name: "a", build }).graph()).steps.map((s) => s.key);
    expect(first).toEqual(["source", "left", "left_2"]);
    expect(second).toEqual(first);
  });

  it("wires each of several outputs separately", () => {
    const j = job({
      name: "multi",
      build: () => {
        const { evens, odds } = split();
        join({ xs: [evens, odds] as never });
      },
    });
    expect(buildExecutionPlan(j.graph()).step("join").inputs.xs).toEqual({
      kind: "fanIn",
      sources: [
        { node: "split", output: "evens" },
        { node: "split", output: "odds" },
      ],
    });
  });

  it("orders a step after the nodes it only waits for, as after an upstream it reads", () => {
    const graph = {
      nodes: [
        { name: "view", computation: source.computation, inputs: {}, after: ["table"] },
        { name: "table", computation: source.computation, inputs: {} },
      ],
    };
    const plan = buildExecutionPlan(graph);
    expect(plan.steps.map((s) => s.key)).toEqual(["table", "view"]);
    expect(plan.step("view").upstream).toEqual(["table"]);
    expect(plan.downstreamOf("table")).toEqual(["view"]);
    expect(() => buildExecutionPlan({ nodes: [graph.nodes[0]!] })).toThrow(
      'step "view" waits for unknown step "table"',
    );
  });

  it("executes only the selected steps and rejects unknown ones with a suggestion", () => {
    const j = job({ name: "chain", build: () => void left({ x: source() }) });
    expect([...buildExecutionPlan(j.graph(), ["left"]).executed]).toEqual(["left"]);
    expect(() => buildExecutionPlan(j.graph(), ["lfet"])).toThrow(
      'no step "lfet" in the plan; did you mean "left"? (steps: source, left)',
    );
  });
});
