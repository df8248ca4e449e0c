import { asset, DefinitionError, defineDefinitions, job, op } from "bosun";
import { describe, expect, it } from "vitest";
import { assertDefinitionsPassChecks, checkDefinitions } from "./check-definitions.ts";
import type { DefinitionChecks, ValueCheck } from "./definition-checks.ts";

/** A stand-in for a plugin's schema: every key must be `ok`. */
const onlyOk: ValueCheck = (value) =>
  Object.keys(value as object)
    .filter((key) => key !== "ok")
    .map((key) => ({
      path: key,
      expected: "ok",
      suggestion: "ok",
      detail: "unknown field; did you mean `ok`?",
    }));

/** Checks that count how often they are loaded. */
function countingChecks() {
  const loads = { tag: 0, context: 0 };
  const checks: DefinitionChecks = {
    tags: {
      "acme/config": async () => {
        loads.tag += 1;
        return onlyOk;
      },
    },
    containerContext: {
      acme: async () => {
        loads.context += 1;
        return onlyOk;
      },
    },
  };
  return { loads, checks };
}

const extract = op({ name: "extract", tags: { "acme/config": { ok: 1, batch: 2 } }, run: async () => 1 });
const plain = op({ name: "plain", run: async () => 1 });
const users = asset({
  key: "users",
  opTags: { "acme/config": { ok: 1, partiton: "x" } },
  run: async () => 1,
});

describe("checkDefinitions", () => {
  it("does not load a check that no definition needs", async () => {
    const { loads, checks } = countingChecks();
    const definitions = defineDefinitions({
      jobs: [job({ name: "quiet", tags: { other: "x" }, build: () => void plain() })],
    });
    expect(await checkDefinitions(definitions, checks, { other: {} })).toEqual([]);
    expect(loads).toEqual({ tag: 0, context: 0 });
  });

  it("checks the tag on jobs, ops and assets and the container context, loading each check once", async () => {
    const { loads, checks } = countingChecks();
    const definitions = defineDefinitions({
      jobs: [
        job({ name: "etl", tags: { "acme/config": { ok: 1, retries: 3 } }, build: () => void extract() }),
        job({ name: "again", build: () => void extract() }),
      ],
      assets: [users],
    });
    const problems = await checkDefinitions(definitions, checks, { acme: { nmespace: "x" } });
    expect(
      problems.map((p) => ({ object: p.object, name: p.name, value: p.value, path: p.issue.path })),
    ).toEqual([
      { object: "container_context", name: null, value: "container_context.acme", path: "nmespace" },
      { object: 'job "etl"', name: "etl", value: "tag acme/config", path: "retries" },
      { object: 'asset "users"', name: "users", value: "tag acme/config", path: "partiton" },
      // Once, though two jobs use the op.
      { object: 'op "extract"', name: "extract", value: "tag acme/config", path: "batch" },
    ]);
    expect(loads).toEqual({ tag: 1, context: 1 });
  });

  it("throws one DefinitionError naming every object, path and suggestion", async () => {
    const { checks } = countingChecks();
    const definitions = defineDefinitions({
      jobs: [job({ name: "etl", build: () => void extract() })],
      assets: [users],
    });
    const thrown = await assertDefinitionsPassChecks(definitions, checks).catch((error) => error);
    expect(thrown).toBeInstanceOf(DefinitionError);
    expect(thrown.code).toBe("INVALID_CONFIG");
    expect(thrown.names).toEqual(["users", "extract"]);
    expect(thrown.message).toBe(
      [
        "2 problems:",
        '  asset "users" tag acme/config: `partiton`: unknown field; did you mean `ok`?',
        '  op "extract" tag acme/config: `batch`: unknown field; did you mean `ok`?',
      ].join("\n"),
    );
  });

  it("passes definitions whose values are fine", async () => {
    const { checks } = countingChecks();
    const fine = op({ name: "fine", tags: { "acme/config": { ok: 1 } }, run: async () => 1 });
    const definitions = defineDefinitions({ jobs: [job({ name: "j", build: () => void fine() })] });
    await expect(
      assertDefinitionsPassChecks(definitions, checks, { acme: { ok: 2 } }),
    ).resolves.toBeUndefined();
  });
});
