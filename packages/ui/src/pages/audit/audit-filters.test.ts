import { describe, expect, it } from "vitest";
import { auditFiltersFromSearch, auditFiltersToSearch, auditQuery } from "./audit-filters.ts";

describe("audit page filters", () => {
  it("round-trip through the query string and become the API's query", () => {
    const filters = auditFiltersFromSearch(
      new URLSearchParams("actor=ci&action=terminate&decision=denied&before=40"),
    );
    expect(filters).toEqual({ actor: "ci", action: "terminate", decision: "denied", before: "40" });
    expect(auditFiltersToSearch(filters).toString()).toBe(
      "actor=ci&action=terminate&decision=denied&before=40",
    );
    expect(auditQuery(filters)).toEqual({
      limit: 50,
      actor: "ci",
      action: "terminate",
      decision: "denied",
      beforeId: 40,
    });
  });

  it("drops an unknown decision and a cursor that is not a positive id", () => {
    const filters = auditFiltersFromSearch(new URLSearchParams("decision=maybe&before=-3"));
    expect(filters).toEqual({ actor: "", action: "", decision: "", before: "" });
    expect(auditQuery(filters)).toEqual({
      limit: 50,
      actor: undefined,
      action: undefined,
      decision: undefined,
      beforeId: undefined,
    });
  });
});
