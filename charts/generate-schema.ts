/**
 * Writes the charts' values.schema.json files from Bosun's zod schemas (see schema/values-schema.ts).
 *
 *   npm run generate:chart-schema            # rewrite the files
 *   npm run generate:chart-schema -- --check # exit 1 when a committed file is out of date
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chartSchemaFiles } from "./schema/values-schema.ts";

const chartsDir = path.dirname(fileURLToPath(import.meta.url));
const check = process.argv.includes("--check");
let stale = 0;
for (const [relative, content] of Object.entries(chartSchemaFiles())) {
  const file = path.join(chartsDir, relative);
  const current = await readFile(file, "utf8").catch(() => null);
  if (current === content) continue;
  if (check) {
    stale += 1;
    process.stderr.write(`charts/${relative} is out of date: run npm run generate:chart-schema\n`);
  } else {
    await writeFile(file, content);
    process.stdout.write(`wrote charts/${relative}\n`);
  }
}
process.exitCode = stale > 0 ? 1 : 0;
