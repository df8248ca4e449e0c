import type { RoleMapping } from "@bosun/instance";
import { describe, expect, it } from "vitest";
import { grantsFromClaims, userNameFromClaims } from "./roles-from-claims.ts";

const MAPPINGS: RoleMapping[] = [
  { claim: "groups", value: "platform", grant: { role: "admin", location: null } },
  { claim: "groups", value: "finance", grant: { role: "launcher", location: "finance" } },
  { claim: "department", value: "ops", grant: { role: "editor", location: null } },
];

describe("grantsFromClaims", () => {
  it("gives every role whose rule matches, from list and string claims", () => {
    expect(grantsFromClaims({ groups: ["finance", "x"], department: "ops" }, MAPPINGS, null)).toEqual([
      { role: "launcher", location: "finance" },
      { role: "editor", location: null },
    ]);
  });

  it("gives the default role on the instance when nothing matches, and nothing when it is none", () => {
    expect(grantsFromClaims({ groups: ["visitors"] }, MAPPINGS, "viewer")).toEqual([
      { role: "viewer", location: null },
    ]);
    expect(grantsFromClaims({ groups: ["visitors"] }, MAPPINGS, null)).toEqual([]);
  });

  it("does not match a value inside a longer string or a non-string claim", () => {
    expect(grantsFromClaims({ groups: "platform-readers" }, MAPPINGS, null)).toEqual([]);
    expect(grantsFromClaims({ groups: { platform: true } }, MAPPINGS, null)).toEqual([]);
  });
});

describe("userNameFromClaims", () => {
  it("takes the configured claim, then the usual ones, then the subject", () => {
    expect(userNameFromClaims({ sub: "1", email: "a@x", upn: "a@corp" }, "upn")).toBe("a@corp");
    expect(userNameFromClaims({ sub: "1", email: "a@x" }, "upn")).toBe("a@x");
    expect(userNameFromClaims({ sub: "1" }, "email")).toBe("1");
  });
});
