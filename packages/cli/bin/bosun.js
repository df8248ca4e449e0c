#!/usr/bin/env node
// The `bosun` command. Registers tsx so code locations (and Bosun itself) load as TypeScript.
const [major] = process.versions.node.split(".").map(Number);
if (major < 24) {
  process.stderr.write(
    `bosun needs Node.js 24 or later (this is ${process.version}); run it through npx or npm run in the repository, which use the pinned Node 24\n`,
  );
  process.exit(1);
}
// Cache compiled bytecode on disk: most of a short command's start-up is compiling dependencies.
const { enableCompileCache } = await import("node:module");
enableCompileCache?.();
const { register } = await import("tsx/esm/api");
register();
await import("../src/main.ts");
