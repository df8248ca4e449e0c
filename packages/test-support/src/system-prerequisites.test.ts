import { afterEach, describe, expect, it, vi } from "vitest";
import { REQUIRE_SYSTEM_SUITES_ENV, systemSuiteMissing } from "./system-prerequisites.ts";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("systemSuiteMissing", () => {
  it("names what is missing and how to install it, so the suite is skipped with the reason", async () => {
    vi.stubEnv("BOSUN_CHROMIUM", "/nonexistent/chromium");
    vi.stubEnv(REQUIRE_SYSTEM_SUITES_ENV, "");
    expect(await systemSuiteMissing("chromium")).toBe(
      "no Chromium at /nonexistent/chromium (Debian: apt-get install -y chromium, or set BOSUN_CHROMIUM)",
    );
  });

  it("fails instead of skipping when BOSUN_REQUIRE_SYSTEM_SUITES=1", async () => {
    vi.stubEnv("BOSUN_CHROMIUM", "/nonexistent/chromium");
    vi.stubEnv(REQUIRE_SYSTEM_SUITES_ENV, "1");
    await expect(systemSuiteMissing("chromium")).rejects.toThrow(
      "BOSUN_REQUIRE_SYSTEM_SUITES=1 but this machine cannot run the suite: no Chromium at /nonexistent/chromium",
    );
  });

  it("returns nothing missing when the prerequisite is there", async () => {
    vi.stubEnv("BOSUN_CHROMIUM", process.execPath);
    expect(await systemSuiteMissing("chromium")).toBe("");
  });
});
