/**
 * Every symbol a package exports through a public entry has a TSDoc comment on its declaration (issue 11).
 * The compiler resolves re-exports and aliases to the declaration, so the comment is checked where a reader
 * who jumps to the definition will look for it, not on the barrel's export line. The barrels themselves are
 * checked for their layout: a header naming the packages each may depend on, exports under section headings.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./ui-build.ts";

/** Public TypeScript entries by package: the files each package.json's `exports` names. */
const PUBLIC_ENTRIES: Record<string, readonly string[]> = Object.fromEntries(
  readdirSync(path.join(REPO_ROOT, "packages"))
    .map((pkg) => {
      const manifest = JSON.parse(
        readFileSync(path.join(REPO_ROOT, "packages", pkg, "package.json"), "utf8"),
      );
      const targets = Object.values<string>(manifest.exports ?? {}).filter((target) =>
        target.endsWith(".ts"),
      );
      return [pkg, targets.map((target) => target.replace(/^\.\//, ""))] as const;
    })
    .filter(([, entries]) => entries.length > 0),
);

interface ExportReport {
  checked: number;
  undocumented: string[];
}

function compilerOptions(): ts.CompilerOptions {
  const configPath = path.join(REPO_ROOT, "tsconfig.json");
  const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, "\n"));
  return ts.parseJsonConfigFileContent(config, ts.sys, REPO_ROOT).options;
}

/**
 * A declaration counts as documented when a `/** ... *\/` comment with text or tags sits on it. For a
 * `const`, the comment usually sits on the variable statement; `getJSDocCommentsAndTags` looks there too.
 */
function hasTsDoc(declaration: ts.Declaration): boolean {
  return ts
    .getJSDocCommentsAndTags(declaration)
    .some((doc) => (ts.isJSDoc(doc) ? Boolean(doc.comment) || Boolean(doc.tags?.length) : true));
}

function location(declaration: ts.Declaration): string {
  const file = declaration.getSourceFile();
  const { line } = file.getLineAndCharacterOfPosition(declaration.getStart(file));
  return `${path.relative(REPO_ROOT, file.fileName)}:${line + 1}`;
}

/** Checks every export of every public entry; returns one `package: symbol (file:line)` line per gap. */
function checkPublicApiDocs(): ExportReport {
  const entryFiles = Object.entries(PUBLIC_ENTRIES).flatMap(([pkg, entries]) =>
    entries.map((entry) => ({ pkg, fileName: path.join(REPO_ROOT, "packages", pkg, entry) })),
  );
  const program = ts.createProgram(
    entryFiles.map((entry) => entry.fileName),
    compilerOptions(),
  );
  const checker = program.getTypeChecker();
  const report: ExportReport = { checked: 0, undocumented: [] };
  for (const { pkg, fileName } of entryFiles) {
    const sourceFile = program.getSourceFile(fileName);
    if (!sourceFile) throw new Error(`public entry ${fileName} is missing`);
    const moduleSymbol = checker.getSymbolAtLocation(sourceFile);
    // A module with no exports (a placeholder entry) has no symbol: nothing to check.
    if (!moduleSymbol) continue;
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      report.checked += 1;
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declarations = target.declarations ?? [];
      // Overloads and declaration merging give several declarations; one comment is enough.
      if (declarations.some(hasTsDoc)) continue;
      const where = declarations[0] ? location(declarations[0]) : "no declaration";
      report.undocumented.push(`${pkg}: ${exported.getName()} (${where})`);
    }
  }
  return report;
}

/**
 * Problems with a barrel's layout: its header must say which packages it may depend on, and its exports sit
 * under `//` section headings. A heading needs a blank line after it: Biome sorts the exports of a chunk
 * together with the comments attached to them, and only a detached comment ends a chunk.
 */
function barrelLayoutProblems(fileName: string): string[] {
  const text = ts.sys.readFile(fileName) ?? "";
  const where = path.relative(REPO_ROOT, fileName);
  const problems: string[] = [];
  const header = text.startsWith("/**") ? text.slice(0, text.indexOf("*/")) : "";
  if (!header.includes("May depend on:")) {
    problems.push(`${where}: the header does not say which packages the package may depend on`);
  }
  const lines = text.split("\n");
  lines.forEach((line, index) => {
    if (line.startsWith("//") && lines[index + 1] !== "") {
      problems.push(`${where}:${index + 1}: no blank line after the section heading "${line}"`);
    }
  });
  const firstExport = lines.findIndex((line) => line.startsWith("export "));
  const firstHeading = lines.findIndex((line) => line.startsWith("//"));
  if (firstExport >= 0 && (firstHeading < 0 || firstHeading > firstExport)) {
    problems.push(`${where}:${firstExport + 1}: exports before the first section heading`);
  }
  return problems;
}

describe("public API documentation", () => {
  it("every export of every public entry has a TSDoc comment on its declaration", () => {
    const { checked, undocumented } = checkPublicApiDocs();
    expect(checked).toBeGreaterThan(0);
    expect(undocumented, `${undocumented.length} of ${checked} exports have no TSDoc comment`).toEqual([]);
  }, 120_000);

  it("every package barrel names its allowed dependencies and puts its exports under section headings", () => {
    const barrels = Object.keys(PUBLIC_ENTRIES).map((pkg) =>
      path.join(REPO_ROOT, "packages", pkg, "src/index.ts"),
    );
    expect(barrels.flatMap(barrelLayoutProblems)).toEqual([]);
  });
});
