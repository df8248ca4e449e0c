import { configDefaults, defineConfig } from "vitest/config";

/**
 * Suites that run whole systems of processes (Kubernetes on kube-sim, the Helm chart installed on it, the
 * UI in Chromium against `bosun dev`) run after the others and one file at a time: on a 2-core machine
 * they would otherwise compete for the CPU and turn timing into flakiness.
 */
const SYSTEM_SUITES = [
  "packages/k8s/test/**/*.test.ts",
  "charts/test/*.e2e.test.ts",
  "packages/ui/test/**/*.test.ts",
];

export default defineConfig({
  test: {
    pool: "forks",
    // One PostgreSQL for the whole run (or BOSUN_TEST_DATABASE_URL); each test file clones a template.
    globalSetup: ["./packages/test-support/src/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "main",
          include: [
            "packages/*/src/**/*.test.ts",
            "packages/*/test/**/*.test.ts",
            "charts/test/**/*.test.ts",
            "examples/**/*.test.ts",
          ],
          exclude: [...configDefaults.exclude, ...SYSTEM_SUITES],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "systems",
          include: SYSTEM_SUITES,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
