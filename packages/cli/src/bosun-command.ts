import { fileURLToPath } from "node:url";
import type { BosunCommand } from "@bosun/core";

/** This package's `bosun` command, started with the Node.js running this process (for code servers and run workers). */
export const BOSUN_COMMAND: BosunCommand = {
  file: process.execPath,
  args: [fileURLToPath(new URL("../bin/bosun.js", import.meta.url))],
};
