import { describe, expect, it } from "vitest";
import { redactedUrl } from "./request-log.ts";

describe("redactedUrl", () => {
  it("redacts the sign-in callback's code and state, keeping the rest", () => {
    expect(redactedUrl("/auth/callback?code=abc&state=xyz&iss=http%3A%2F%2Fidp")).toBe(
      "/auth/callback?code=%5Bredacted%5D&state=%5Bredacted%5D&iss=http%3A%2F%2Fidp",
    );
  });

  it("leaves URLs without credentials as they are", () => {
    expect(redactedUrl("/api/runs?limit=50&status=FAILURE")).toBe("/api/runs?limit=50&status=FAILURE");
    expect(redactedUrl("/api/runs")).toBe("/api/runs");
  });
});
