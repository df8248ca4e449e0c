import { describe, expect, it } from "vitest";

/**
 * The UI takes Bosun's types, never its code: a value import from `bosun` would put Node-side modules
 * (storage, gRPC, PostgreSQL) into the browser bundle.
 */

/** The UI's bundled sources (unit tests run in Node and are never bundled). */
const sources = import.meta.glob<string>(["../**/*.ts", "../**/*.tsx", "!../**/*.test.ts"], {
  query: "?raw",
  import: "default",
  eager: true,
});

/** Every import or re-export statement of a source that names a `bosun` module, as written. */
function bosunStatements(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const statements = code.match(/\b(?:import|export)\b[^;]*?\bfrom\s*["']bosun(?:\/[^"']*)?["']/g) ?? [];
  const bare = code.match(/\bimport\s*\(?\s*["']bosun(?:\/[^"']*)?["']/g) ?? [];
  return [...statements, ...bare];
}

describe("imports of bosun in the UI", () => {
  it("are all type-only imports of bosun/api-types", () => {
    const offending: string[] = [];
    let typeImports = 0;
    for (const [file, source] of Object.entries(sources)) {
      for (const statement of bosunStatements(source)) {
        if (/^(?:import|export)\s+type\s[\s\S]*from\s*["']bosun\/api-types["']$/.test(statement))
          typeImports++;
        else offending.push(`${file}: ${statement.replace(/\s+/g, " ")}`);
      }
    }
    expect(offending).toEqual([]);
    // The API types come from Bosun: if this drops to zero, the check above checked nothing.
    expect(typeImports).toBeGreaterThan(0);
  });

  it("are recognised whatever their form, so the check above can fail", () => {
    expect(bosunStatements('import { RUN_STATUSES } from "bosun";')).toHaveLength(1);
    expect(bosunStatements('import { type RunRecord } from "bosun/api-types";')).toHaveLength(1);
    expect(bosunStatements('export { x } from "bosun/api-types";')).toHaveLength(1);
    expect(bosunStatements('await import("bosun")')).toHaveLength(1);
    expect(bosunStatements('import "bosun";')).toHaveLength(1);
    expect(bosunStatements('import type { Run } from "./types.ts";')).toHaveLength(0);
    expect(bosunStatements('/** see `import` from "bosun" */ const a = 1;')).toHaveLength(0);
  });
});
