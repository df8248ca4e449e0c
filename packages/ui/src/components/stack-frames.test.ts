import { describe, expect, it } from "vitest";
import { isEngineFrame, splitStack } from "./stack-frames.ts";

const stack = [
  "Error: could not write to s3://reports: bucket is read-only",
  "    at putObject (/home/ana/pipelines/defs.ts:31:9)",
  "    at Object.run (/home/ana/pipelines/defs.ts:40:5)",
  "    at call (/srv/bosun/packages/bosun/src/execution/step-attempt.ts:104:55)",
  "    at untilAborted (/srv/bosun/packages/bosun/src/execution/step-attempt.ts:190:20)",
  "    at process.processTicksAndRejections (node:internal/process/task_queues:105:5)",
  "    at async Promise.all (index 0)",
  "    at async run (/app/node_modules/tsx/dist/loader.mjs:2:100)",
].join("\n");

describe("splitStack", () => {
  it("keeps the user's frames and folds each run of Bosun, node_modules and Node frames", () => {
    expect(splitStack(stack)).toEqual([
      { kind: "text", lines: ["Error: could not write to s3://reports: bucket is read-only"] },
      {
        kind: "user",
        lines: [
          "    at putObject (/home/ana/pipelines/defs.ts:31:9)",
          "    at Object.run (/home/ana/pipelines/defs.ts:40:5)",
        ],
      },
      { kind: "engine", lines: stack.split("\n").slice(3) },
    ]);
  });

  it("folds nothing when no frame is the user's", () => {
    const bosunOnly = stack
      .split("\n")
      .filter((line) => !line.includes("/home/ana"))
      .join("\n");
    expect(splitStack(bosunOnly).map((p) => p.kind)).toEqual(["text", "user"]);
  });

  it("tells a user's file apart from Bosun's packages even when both live under packages/", () => {
    expect(isEngineFrame("    at run (/repo/packages/etl/src/load.ts:3:1)")).toBe(false);
    expect(isEngineFrame("    at run (/repo/packages/bosun-engine/src/run.ts:3:1)")).toBe(true);
    expect(isEngineFrame("    at new Promise (<anonymous>)")).toBe(true);
  });
});
