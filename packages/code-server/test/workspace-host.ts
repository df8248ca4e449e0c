/**
 * A process that opens a workspace and then waits to be killed: the test kills it with SIGKILL (no
 * cleanup runs) and checks that the code server processes it started end on their own.
 * Usage: node --import tsx workspace-host.ts <location file> <location name>
 */
import { BOSUN_COMMAND } from "@bosun/test-support";
import { startWorkspace } from "../src/workspace/workspace-manager.ts";

const [file, name] = process.argv.slice(2);
const workspace = await startWorkspace(
  { file: file!, locationName: name! },
  { log: () => {}, bosunCommand: BOSUN_COMMAND },
);
process.stdout.write(`${JSON.stringify(workspace.list().map((entry) => entry.status))}\n`);
setInterval(() => {}, 60_000);
