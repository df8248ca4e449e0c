import { describe, expect, it } from "vitest";
import { grantsAllow, PERMISSION_ROLES, PERMISSIONS, type ROLES, roleAllows } from "./roles.ts";

describe("roles and permissions", () => {
  it("gives each role its own permissions and every permission of the roles below it", () => {
    const held = (role: (typeof ROLES)[number]) => PERMISSIONS.filter((p) => roleAllows(role, p));
    expect(held("viewer")).toEqual(["view"]);
    expect(held("launcher")).toEqual(["view", "runs.launch", "runs.terminate"]);
    expect(held("editor")).toEqual([
      "view",
      "runs.launch",
      "runs.terminate",
      "instigators.manage",
      "locations.reload",
      "locations.deploy",
      "backfills.manage",
      "queues.manage",
      "deployments.manage",
    ]);
    expect(held("admin")).toEqual(Object.keys(PERMISSION_ROLES));
  });

  it("holds a location grant to its location and keeps it off instance-wide questions", () => {
    const grants = [{ role: "launcher" as const, location: "finance" }];
    expect(grantsAllow(grants, "runs.launch", "finance")).toBe(true);
    expect(grantsAllow(grants, "runs.launch", "ops")).toBe(false);
    expect(grantsAllow(grants, "view", null)).toBe(false);
    expect(grantsAllow(grants, "locations.reload", "finance")).toBe(false);
  });

  it("lets an instance-wide grant act on every location, and several grants add up", () => {
    const grants = [
      { role: "viewer" as const, location: null },
      { role: "editor" as const, location: "finance" },
    ];
    expect(grantsAllow(grants, "view", null)).toBe(true);
    expect(grantsAllow(grants, "view", "ops")).toBe(true);
    expect(grantsAllow(grants, "instigators.manage", "finance")).toBe(true);
    expect(grantsAllow(grants, "instigators.manage", "ops")).toBe(false);
    expect(grantsAllow([], "view", null)).toBe(false);
  });
});
