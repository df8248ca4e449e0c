import { describe, expect, it } from "vitest";

/**
 * The UI takes Bosun's API types, never its server code: a value import from a Bosun package other than
 * `@bosun/core` (plain values and helpers that import nothing from Node) would put Node-side modules
 * (storage, gRPC, PostgreSQL) into the browser bundle. The boundary check (`npm run check:boundaries`)
 * enforces the same layer; this test also pins the webserver import to type-only.
 */

/** The UI's bundled sources (unit tests run in Node and are never bundled). */
const sources = import.meta.glob<string>(["../**/*.ts", "../**/*.tsx", "!../**/*.test.ts"], {
  query: "?raw",
  import: "default",
  eager: true,
});

const BOSUN_MODULE = `["'](?:bosun|@bosun/[^"']+)(?:/[^"']*)?["']`;

/** Every import or re-export statement of a source that names a Bosun module, as written. */
function bosunStatements(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const statements =
    code.match(new RegExp(String.raw`\b(?:import|export)\b[^;]*?\bfrom\s*${BOSUN_MODULE}`, "g")) ?? [];
  const bare = code.match(new RegExp(String.raw`\bimport\s*\(?\s*${BOSUN_MODULE}`, "g")) ?? [];
  return [...statements, ...bare];
}

const TYPE_IMPORT_OF_API_TYPES =
  /^(?:import|export)\s+type\s[\s\S]*from\s*["']@bosun\/webserver\/api-types["']$/;
const IMPORT_OF_CORE = /^(?:import|export)\s[\s\S]*from\s*["']@bosun\/core["']$/;

describe("imports of Bosun packages in the UI", () => {
  it("are type-only imports of @bosun/webserver/api-types, or imports of @bosun/core", () => {
    const offending: string[] = [];
    let typeImports = 0;
    for (const [file, source] of Object.entries(sources)) {
      for (const statement of bosunStatements(source)) {
        if (TYPE_IMPORT_OF_API_TYPES.test(statement)) typeImports++;
        else if (!IMPORT_OF_CORE.test(statement))
          offending.push(`${file}: ${statement.replace(/\s+/g, " ")}`);
      }
    }
    expect(offending).toEqual([]);
    // The API types come from Bosun: if this drops to zero, the check above checked nothing.
    expect(typeImports).toBeGreaterThan(0);
  });

  it("are recognised whatever their form, so the check above can fail", () => {
    expect(bosunStatements('import { RUN_STATUSES } from "bosun";')).toHaveLength(1);
    expect(bosunStatements('import { type RunRecord } from "@bosun/webserver/api-types";')).toHaveLength(1);
    expect(bosunStatements('import { startWebserver } from "@bosun/webserver";')).toHaveLength(1);
    expect(bosunStatements('export { x } from "@bosun/storage";')).toHaveLength(1);
    expect(bosunStatements('await import("@bosun/engine")')).toHaveLength(1);
    expect(bosunStatements('import "bosun";')).toHaveLength(1);
    expect(bosunStatements('import type { Run } from "./types.ts";')).toHaveLength(0);
    expect(bosunStatements('/** see `import` from "bosun" */ const a = 1;')).toHaveLength(0);
    expect(TYPE_IMPORT_OF_API_TYPES.test('import { type RunRecord } from "@bosun/webserver/api-types"')).toBe(
      false,
    );
  });
});
