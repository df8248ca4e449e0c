import type { AssetSnapshot, DefinitionsSnapshot, JobSnapshot } from "@bosun/code-server";
import { describe, expect, it } from "vitest";
import { diffDefinitions } from "./definition-changes.ts";

function asset(key: string, extra: Partial<AssetSnapshot> = {}): AssetSnapshot {
  return {
    key,
    stepKey: key,
    group: "default",
    description: null,
    upstream: [],
    downstream: [],
    metadata: {},
    partitions: null,
    codeVersion: "v1",
    ioManagerKey: "io_manager",
    ...extra,
  };
}

function job(name: string, extra: Partial<JobSnapshot> = {}): JobSnapshot {
  return {
    name,
    description: null,
    tags: {},
    executor: null,
    defaultRunConfig: {},
    partitions: null,
    assetKeys: [],
    nodes: [],
    runConfigSchema: {},
    ...extra,
  };
}

function location(assets: AssetSnapshot[], jobs: JobSnapshot[] = []): DefinitionsSnapshot {
  return {
    contentHash: Math.random().toString(36),
    origin: { kind: "file", path: "/x.ts" } as unknown as DefinitionsSnapshot["origin"],
    containerContext: null,
    jobs,
    assets,
    schedules: [],
    sensors: [],
    resources: [],
  };
}

describe("diffDefinitions", () => {
  it("names assets added, removed, and changed in code version or definition, and leaves equal ones out", () => {
    const base = new Map([
      ["shop", location([asset("orders"), asset("revenue"), asset("old_report"), asset("customers")])],
    ]);
    const branch = new Map([
      [
        "shop",
        location([
          asset("orders"),
          asset("revenue", { codeVersion: "v2" }),
          asset("customers", { upstream: ["orders"], description: "now from orders" }),
          asset("forecast"),
        ]),
      ],
    ]);
    expect(diffDefinitions(base, branch).assets).toEqual([
      { location: "shop", name: "customers", change: { kind: "changed", changed: ["definition"] } },
      { location: "shop", name: "forecast", change: { kind: "added" } },
      { location: "shop", name: "old_report", change: { kind: "removed" } },
      { location: "shop", name: "revenue", change: { kind: "changed", changed: ["codeVersion"] } },
    ]);
  });

  it("reports both differences when an asset's code version and definition change together", () => {
    const base = new Map([["shop", location([asset("a")])]]);
    const branch = new Map([["shop", location([asset("a", { codeVersion: "v9", group: "finance" })])]]);
    expect(diffDefinitions(base, branch).assets).toEqual([
      { location: "shop", name: "a", change: { kind: "changed", changed: ["codeVersion", "definition"] } },
    ]);
  });

  it("does not count key order, another asset's downstream edge or the derived run config schema as a change", () => {
    const base = new Map([["shop", location([asset("a", { metadata: { x: 1, y: 2 } })], [job("j")])]]);
    const branch = new Map([
      [
        "shop",
        location(
          [asset("a", { metadata: { y: 2, x: 1 }, downstream: ["b"] })],
          [job("j", { runConfigSchema: { type: "object" } })],
        ),
      ],
    ]);
    expect(diffDefinitions(base, branch)).toEqual({ assets: [], jobs: [] });
  });

  it("names jobs added, removed and changed, keyed by location", () => {
    const base = new Map([
      ["shop", location([], [job("daily"), job("weekly")])],
      ["ops", location([], [job("cleanup")])],
    ]);
    const branch = new Map([
      ["shop", location([], [job("daily", { tags: { team: "data" } }), job("hourly")])],
      ["ops", location([], [job("cleanup")])],
    ]);
    expect(diffDefinitions(base, branch).jobs).toEqual([
      { location: "shop", name: "daily", change: { kind: "changed", changed: ["definition"] } },
      { location: "shop", name: "hourly", change: { kind: "added" } },
      { location: "shop", name: "weekly", change: { kind: "removed" } },
    ]);
  });
});
