/**
 * Bosun's package boundaries, checked by dependency-cruiser (`npm run check:boundaries`, run by .ci/run).
 * docs/architecture.md draws the same graph; change both together.
 *
 * - A package's own code (src/, bin/) may import only the packages listed for it in LAYERS.
 * - Nothing imports another package's files except through its public entries (ENTRIES).
 * - No import cycle among the modules of any package's own code.
 * Tests (`*.test.ts`, test/, test-kit/), benchmarks, charts' tooling and examples sit on top: they may import any
 * package, through its public entries only.
 */

const { readFileSync } = require("node:fs");
const path = require("node:path");

/** What each package's own code may import (besides itself). Bottom first. */
const LAYERS = {
  core: [],
  sdk: ["core"],
  storage: ["core"],
  instance: ["core", "storage"],
  engine: ["core", "sdk", "storage", "instance"],
  "code-server": ["core", "sdk", "storage", "instance", "engine"],
  runs: ["core", "sdk", "storage", "instance", "engine", "code-server"],
  daemon: ["core", "sdk", "storage", "instance", "engine", "code-server", "runs"],
  webserver: ["core", "sdk", "storage", "instance", "engine", "code-server", "runs", "daemon"],
  k8s: ["core", "sdk", "storage", "instance", "engine", "code-server", "runs"],
  queues: ["core", "sdk", "storage", "instance", "engine", "code-server", "runs"],
  cli: [
    "core",
    "sdk",
    "storage",
    "instance",
    "engine",
    "code-server",
    "runs",
    "daemon",
    "webserver",
    "k8s",
    "queues",
  ],
  // The UI is a browser bundle: types from the webserver's API, and the vocabulary's plain values and
  // helpers (statuses, suggestions), which import nothing from Node.
  ui: ["core", "webserver"],
  // kube-sim stands in for a cluster: it must not know Bosun.
  "kube-sim": [],
  // Private test helpers may use anything.
  "test-support": [
    "core",
    "sdk",
    "storage",
    "instance",
    "engine",
    "code-server",
    "runs",
    "daemon",
    "webserver",
    "k8s",
    "queues",
    "cli",
    "kube-sim",
  ],
};

/** Each package's public entries: the source files its package.json `exports` and `bin` name. */
function entriesOf(pkg) {
  const manifest = JSON.parse(readFileSync(path.join(__dirname, "packages", pkg, "package.json"), "utf8"));
  return [...Object.values(manifest.exports ?? {}), ...Object.values(manifest.bin ?? {})]
    .filter((target) => /\.(ts|js)$/.test(target))
    .map((target) => target.replace(/^\.\//, ""));
}

const ENTRIES = Object.fromEntries(Object.keys(LAYERS).map((pkg) => [pkg, entriesOf(pkg)]));

const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
const OWN_CODE = (pkg) => `^packages/${escapeRegex(pkg)}/(src|bin)/`;
const TEST_FILE = "\\.test\\.tsx?$";

const layerRules = Object.entries(LAYERS).map(([pkg, allowed]) => ({
  name: `layer-${pkg}`,
  comment: `${pkg} may import only: ${allowed.join(", ") || "no other Bosun package"} (docs/architecture.md)`,
  severity: "error",
  from: { path: OWN_CODE(pkg), pathNot: TEST_FILE },
  to: { path: `^packages/(?!(?:${[pkg, ...allowed].map(escapeRegex).join("|")})/)[^/]+/` },
}));

const entryRules = Object.entries(ENTRIES).map(([pkg, entries]) => ({
  name: `entry-${pkg}`,
  comment: `other code imports ${pkg} only through ${entries.join(", ") || "nothing"}`,
  severity: "error",
  from: { pathNot: `^packages/${escapeRegex(pkg)}/` },
  to: {
    path: `^packages/${escapeRegex(pkg)}/`,
    ...(entries.length
      ? { pathNot: `^packages/${escapeRegex(pkg)}/(${entries.map(escapeRegex).join("|")})$` }
      : {}),
  },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    ...entryRules,
    {
      name: "no-cycles",
      comment: "modules of a package's own code must not import each other in a cycle",
      severity: "error",
      from: { path: "^packages/[^/]+/(src|bin)/", pathNot: TEST_FILE },
      to: { circular: true },
    },
    {
      name: "declared-packages-only",
      comment: "a package's own code imports only npm packages it depends on",
      severity: "error",
      from: { path: "^packages/[^/]+/(src|bin)/", pathNot: TEST_FILE },
      to: { dependencyTypes: ["npm-no-pkg", "npm-unknown"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|dist|gen)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs"],
      mainFields: ["module", "main", "types"],
    },
  },
};
