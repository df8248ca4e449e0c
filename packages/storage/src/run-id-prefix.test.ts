import { describe, expect, it } from "vitest";
import {
  AmbiguousRunIdError,
  NoRunMatchesError,
  RunIdPrefixTooShortError,
  resolveRunId,
} from "./run-id-prefix.ts";
import { RunNotFoundError } from "./storage-errors.ts";

/** Just enough of a run storage: ids, looked up whole or by prefix. */
function runsWithIds(ids: readonly string[]) {
  return {
    getRun: async (runId: string) => (ids.includes(runId) ? ({ runId } as never) : null),
    findRunIdsByPrefix: async (prefix: string, limit: number) =>
      ids
        .filter((id) => id.startsWith(prefix))
        .sort()
        .slice(0, limit),
  };
}

describe("resolveRunId", () => {
  const ids = ["3f9c0a4e-1", "3f9d7777-2", "abc", ...["1", "2", "3", "4", "5", "6"].map((n) => `beef-${n}`)];
  const runs = runsWithIds(ids);

  it("accepts a whole run id, even one shorter than the minimum prefix", async () => {
    expect(await resolveRunId(runs, "abc")).toBe("abc");
    expect(await resolveRunId(runs, "3f9d7777-2")).toBe("3f9d7777-2");
  });

  it("resolves a unique prefix to its run", async () => {
    expect(await resolveRunId(runs, "3f9c")).toBe("3f9c0a4e-1");
    expect(await resolveRunId(runs, " 3f9d7 ")).toBe("3f9d7777-2");
  });

  it("refuses a prefix shorter than four characters", async () => {
    await expect(resolveRunId(runs, "3f9")).rejects.toBeInstanceOf(RunIdPrefixTooShortError);
  });

  it("lists up to five matches of an ambiguous prefix", async () => {
    const error = await resolveRunId(runs, "beef").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmbiguousRunIdError);
    expect((error as AmbiguousRunIdError).matches).toEqual([
      "beef-1",
      "beef-2",
      "beef-3",
      "beef-4",
      "beef-5",
    ]);
    expect((error as Error).message).toContain("beef-5, ...");
  });

  it("says no run matches, as a RunNotFoundError", async () => {
    const error = await resolveRunId(runs, "ffff").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoRunMatchesError);
    expect(error).toBeInstanceOf(RunNotFoundError);
    expect((error as Error).message).toBe('no run matches "ffff"');
  });
});
