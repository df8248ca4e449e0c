import { describe, expect, it } from "vitest";
import { navItemOf, visibleNav } from "./nav-items.ts";

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

  it("shows the token and audit pages only to callers holding their permissions", () => {
    const labels = (permissions: readonly string[] | undefined) =>
      visibleNav(permissions).map((i) => i.label);
    expect(labels(["view", "runs.launch"])).not.toContain("API tokens");
    expect(labels(undefined)).not.toContain("Audit log");
    expect(labels(["view", "tokens.manage"])).toContain("API tokens");
    expect(labels(["view", "tokens.manage"])).not.toContain("Audit log");
    expect(labels(["view", "tokens.manage", "audit.view"])).toEqual(
      expect.arrayContaining(["API tokens", "Audit log", "Runs"]),
    );
  });
});
