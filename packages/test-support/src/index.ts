/**
 * @bosun/test-support (private): helpers shared by Bosun's test suites: the test run's PostgreSQL, per-file
 * storage, the `bosun` command as a process, a headless browser and the UI build, waiting and prerequisites.
 *
 * May depend on: every Bosun package (LAYERS in .dependency-cruiser.cjs).
 * Each `//` heading is followed by a blank line: Biome then sorts exports within a section, not across.
 */

// PostgreSQL: the test run's server, and a migrated database per test file

export { TEST_ADMIN_URL_ENV, testAdminUrl, withDatabase } from "./admin-url.ts";
export { createTestStorage, type TestStorage } from "./test-storage.ts";

// The `bosun` command as a child process, and code location fixtures

export { BOSUN_BIN, BOSUN_COMMAND, type CliResult, runBosun, startBosun } from "./cli-process.ts";
export { FIXTURES } from "./fixtures.ts";

// The UI: its production build and a headless browser

export { type Browser, openBrowser } from "./browser.ts";
export { ensureUiBuilt, REPO_ROOT, UI_DIST } from "./ui-build.ts";

// Hybrid mode: a stand-in agent that speaks the agent API

export {
  type AgentApiAnswer,
  type HandedOutRequest,
  StandInAgent,
  type StandInAgentOptions,
} from "./stand-in-agent.ts";

// Assertions and waiting

export { configProblems } from "./config-problems.ts";
export { waitFor } from "./wait-for.ts";

// Suites that need the system: skip them with the reason, or fail when they are required

export { type DedicatedPostgres, startDedicatedPostgres } from "./dedicated-postgres.ts";
export { REDIS_SERVER_BIN, startTestRedis, type TestRedis } from "./redis-server.ts";
export { systemSuiteMissing } from "./system-prerequisites.ts";
