/** Bosun's version, for the `app.kubernetes.io/version` label of the Jobs it creates. */
import { readFileSync } from "node:fs";

/** The version of this package, from its package.json; worker Jobs carry it as `app.kubernetes.io/version`. */
export const BOSUN_VERSION: string = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;
