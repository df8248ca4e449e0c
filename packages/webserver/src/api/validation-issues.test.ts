import { describe, expect, it } from "vitest";
import { issuesFromValidation } from "./validation-issues.ts";

describe("validation issues", () => {
  it("names the field of a missing property, an unknown one (with a suggestion) and a bad enum value", () => {
    const issues = issuesFromValidation("body", [
      { keyword: "required", instancePath: "", params: { missingProperty: "location" } },
      {
        keyword: "additionalProperties",
        instancePath: "",
        params: { additionalProperty: "runconfig" },
        parentSchema: { properties: { location: {}, runConfig: {}, tags: {} } },
      },
      {
        keyword: "enum",
        instancePath: "/mode",
        params: { allowedValues: ["all", "fromFailure", "selected"] },
        data: "from_failure",
      },
    ]);
    expect(issues).toEqual([
      { field: "body.location", message: "is required" },
      { field: "body.runconfig", message: 'unknown field; did you mean "runConfig"?' },
      {
        field: "body.mode",
        message: 'must be one of: all, fromFailure, selected; did you mean "fromFailure"?',
      },
    ]);
  });

  it("writes query paths with list indexes and quotes keys that are not identifiers", () => {
    const issues = issuesFromValidation("querystring", [
      { keyword: "pattern", instancePath: "/tag/1", params: {}, message: "must match pattern" },
      { keyword: "type", instancePath: "/tags/bosun~1priority", params: {}, message: "must be string" },
    ]);
    expect(issues).toEqual([
      { field: "query.tag[1]", message: "must match pattern" },
      { field: 'query.tags["bosun/priority"]', message: "must be string" },
    ]);
  });

  it("lists the expected fields when an unknown one is nothing like them", () => {
    const [issue] = issuesFromValidation("params", [
      {
        keyword: "additionalProperties",
        instancePath: "",
        params: { additionalProperty: "zzzzzzzz" },
        parentSchema: { properties: { id: {} } },
      },
    ]);
    expect(issue).toEqual({ field: "params.zzzzzzzz", message: "unknown field (expected one of: id)" });
  });
});
