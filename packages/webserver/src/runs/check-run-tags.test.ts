import type { ValueCheck } from "@bosun/engine";
import { describe, expect, it } from "vitest";
import { checkRunTags } from "./check-run-tags.ts";

/** A stand-in for a plugin's schema: the value is JSON text of an object whose keys must be `ok`. */
const onlyOk: ValueCheck = (value) =>
  Object.keys(JSON.parse(String(value)))
    .filter((key) => key !== "ok")
    .map((key) => ({ path: key, expected: "ok", detail: "unknown field; did you mean `ok`?" }));

describe("checkRunTags", () => {
  it("names the tag field and the path of each problem", async () => {
    const checks = { "acme/config": async () => onlyOk };
    expect(await checkRunTags(checks, { "acme/config": '{"ok":1,"okk":2}', other: "x" })).toEqual([
      { field: 'body.tags["acme/config"]', message: "`okk`: unknown field; did you mean `ok`?" },
    ]);
  });

  it("loads no check when the request does not carry its tag", async () => {
    let loads = 0;
    const checks = {
      "acme/config": async () => {
        loads += 1;
        return onlyOk;
      },
    };
    expect(await checkRunTags(checks, { other: "x" })).toEqual([]);
    expect(await checkRunTags(checks, undefined)).toEqual([]);
    expect(loads).toBe(0);
  });
});
