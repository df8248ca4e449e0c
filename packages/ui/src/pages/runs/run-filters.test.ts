import { describe, expect, it } from "vitest";
import { parseRunFilters, runFiltersToQuery, runFiltersToSearch } from "./run-filters.ts";

describe("run filters in the URL", () => {
  it("round-trip through the query string and drop unknown statuses and malformed tags", () => {
    const filters = parseRunFilters(
      new URLSearchParams("status=FAILURE&status=BOGUS&tag=team=data&tag=oops&job=etl&range=24h&cursor=abc"),
    );
    expect(filters).toMatchObject({
      statuses: ["FAILURE"],
      tags: ["team=data"],
      job: "etl",
      range: "24h",
      cursor: "abc",
    });
    expect(runFiltersToSearch(filters).toString()).toBe(
      "status=FAILURE&job=etl&tag=team%3Ddata&range=24h&cursor=abc",
    );
  });

  it("turn a preset range into a createdAfter rounded to the minute", () => {
    const now = Date.parse("2024-05-02T10:30:45Z");
    const query = runFiltersToQuery(parseRunFilters(new URLSearchParams("range=1h")), now, 50);
    expect(query.createdAfter).toBe("2024-05-02T09:30:00.000Z");
    expect(query.createdBefore).toBeUndefined();
  });
});
