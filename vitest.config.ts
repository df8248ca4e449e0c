import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "charts/test/**/*.test.ts"],
    pool: "forks",
    // One PostgreSQL for the whole run (or BOSUN_TEST_DATABASE_URL); each test file clones a template.
    globalSetup: ["./test-support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
