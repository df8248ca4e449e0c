import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const PACKAGE_DIR = fileURLToPath(new URL("../../", import.meta.url));
const BIN_DIR = fileURLToPath(new URL("../../../../node_modules/.bin/", import.meta.url));
const GENERATED = "src/code-server/gen";

async function listGenerated(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}

describe("generated protobuf code", () => {
  const temporary: string[] = [];
  afterAll(async () => {
    for (const directory of temporary) await rm(directory, { recursive: true, force: true });
  });

  it("matches what `npm run generate:proto` produces from proto/ (regenerate and commit when this fails)", async () => {
    const output = await mkdtemp(path.join(os.tmpdir(), "bosun-proto-"));
    temporary.push(output);
    await promisify(execFile)(path.join(BIN_DIR, "buf"), ["generate", "--output", output], {
      cwd: PACKAGE_DIR,
      env: { ...process.env, PATH: `${BIN_DIR}${path.delimiter}${process.env.PATH ?? ""}` },
    });
    const fresh = path.join(output, GENERATED);
    const committed = path.join(PACKAGE_DIR, GENERATED);
    const files = await listGenerated(fresh);
    expect(files).toEqual(["bosun/code_server/v1/code_server_pb.ts", "grpc/health/v1/health_pb.ts"]);
    expect(await listGenerated(committed)).toEqual(files);
    for (const file of files) {
      const expected = await readFile(path.join(fresh, file), "utf8");
      const actual = await readFile(path.join(committed, file), "utf8");
      expect(actual, `${GENERATED}/${file} is out of date`).toBe(expected);
    }
  });
});
