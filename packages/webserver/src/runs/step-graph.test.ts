import type { AssetSnapshot, JobSnapshot, NodeSnapshot } from "@bosun/code-server";
import { describe, expect, it } from "vitest";
import { stepGraphOfAssets, stepGraphOfJob } from "./step-graph.ts";

const node = (name: string, inputs: NodeSnapshot["inputs"] = {}): NodeSnapshot => ({
  name,
  opName: name,
  description: null,
  outputs: ["result"],
  inputs,
  tags: {},
  assetKey: null,
  configSchema: null,
  retryPolicy: null,
});

const job = (nodes: NodeSnapshot[]): JobSnapshot => ({
  name: "j",
  description: null,
  tags: {},
  executor: null,
  defaultRunConfig: {},
  partitions: null,
  assetKeys: [],
  nodes,
  runConfigSchema: {},
});

describe("step graph from a job snapshot", () => {
  it("orders steps topologically, keeping declaration order among ready steps", () => {
    const graph = stepGraphOfJob(
      job([
        node("collect", { parts: { fromSteps: ["sum", "product"] } }),
        node("numbers"),
        node("sum", { values: { fromSteps: ["numbers"] } }),
        node("product", { values: { fromSteps: ["numbers"] } }),
      ]),
    );
    expect(graph.order).toEqual(["numbers", "sum", "product", "collect"]);
    expect(graph.downstreamOf("numbers")).toEqual(["sum", "product"]);
    expect(graph.downstreamOf("collect")).toEqual([]);
    expect(graph.has("sum")).toBe(true);
    expect(graph.has("nope")).toBe(false);
  });

  it("orders a step after the steps it only waits for (an asset's array deps)", () => {
    const graph = stepGraphOfJob(job([{ ...node("view"), after: ["table"] }, node("table")]));
    expect(graph.order).toEqual(["table", "view"]);
    expect(graph.downstreamOf("table")).toEqual(["view"]);
  });

  it("ignores inputs that come from assets outside the job", () => {
    const graph = stepGraphOfJob(job([node("report", { orders: { fromAsset: "raw_orders" } })]));
    expect(graph.order).toEqual(["report"]);
  });
});

describe("step graph of an asset selection", () => {
  const asset = (key: string, upstream: string[]): AssetSnapshot => ({
    key,
    stepKey: key.replaceAll("/", "__"),
    group: "default",
    description: null,
    upstream,
    downstream: [],
    metadata: {},
    partitions: null,
    codeVersion: null,
    ioManagerKey: "io_manager",
  });

  it("keeps only the selected assets, wired by their selected upstream", () => {
    const assets = [asset("sales/revenue", ["raw_orders"]), asset("raw_orders", []), asset("other", [])];
    const graph = stepGraphOfAssets(assets, ["raw_orders", "sales/revenue"]);
    expect(graph.order).toEqual(["raw_orders", "sales__revenue"]);
    expect(graph.downstreamOf("raw_orders")).toEqual(["sales__revenue"]);
    expect(stepGraphOfAssets(assets, ["sales/revenue"]).order).toEqual(["sales__revenue"]);
  });
});
