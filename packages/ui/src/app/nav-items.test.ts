import { describe, expect, it } from "vitest";
import { navItemOf } from "./nav-items.ts";

describe("navItemOf", () => {
  it("puts a job's page under Jobs, not Code locations", () => {
    expect(navItemOf("/locations/quickstart/jobs/numbers_job")?.label).toBe("Jobs");
    expect(navItemOf("/jobs")?.label).toBe("Jobs");
    expect(navItemOf("/locations")?.label).toBe("Code locations");
  });

  it("matches whole path segments", () => {
    expect(navItemOf("/runs/0b9c")?.label).toBe("Runs");
    expect(navItemOf("/runsheet")).toBeNull();
    expect(navItemOf("/")?.label).toBe("Overview");
  });
});
