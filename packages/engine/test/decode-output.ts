import { readFile } from "node:fs/promises";
import { deserialize } from "node:v8";

/** Reads an output the filesystem IO manager stored (structured-clone bytes). */
export async function decodeValueForTests(file: string): Promise<unknown> {
  return deserialize(await readFile(file));
}
