import { describe, expect, it } from "vitest";
import { apiPathIn, deploymentHome, deploymentOfPath, pathInDeployment } from "./deployment.ts";

describe("the deployment in the UI's URL", () => {
  it("reads the deployment from /d/<deployment>, and prod from a URL without it", () => {
    expect(deploymentOfPath("/d/feature-x/runs/abc")).toBe("feature-x");
    expect(deploymentOfPath("/d/feature-x")).toBe("feature-x");
    expect(deploymentOfPath("/runs")).toBe("prod");
    expect(deploymentOfPath("/dashboard")).toBe("prod");
  });

  it("sends API calls of a branch deployment under /api/d/<deployment>, and prod's unchanged", () => {
    expect(apiPathIn("feature-x", "/api/runs?limit=5")).toBe("/api/d/feature-x/runs?limit=5");
    expect(apiPathIn("prod", "/api/runs")).toBe("/api/runs");
    expect(pathInDeployment("/d/feature-x/assets/a")).toBe("/assets/a");
    expect(pathInDeployment("/d/feature-x")).toBe("/");
    expect(deploymentHome("prod")).toBe("/");
    expect(deploymentHome("feature-x")).toBe("/d/feature-x/");
  });
});
