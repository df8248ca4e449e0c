export { TEST_ADMIN_URL_ENV, testAdminUrl, withDatabase } from "./admin-url.ts";
export { type Browser, openBrowser } from "./browser.ts";
export { BOSUN_BIN, BOSUN_COMMAND, type CliResult, runBosun, startBosun } from "./cli-process.ts";
export { configProblems } from "./config-problems.ts";
export { FIXTURES } from "./fixtures.ts";
export { systemSuiteMissing } from "./system-prerequisites.ts";
export { createTestStorage, type TestStorage } from "./test-storage.ts";
export { ensureUiBuilt, REPO_ROOT, UI_DIST } from "./ui-build.ts";
export { waitFor } from "./wait-for.ts";
