import type { LocationEntry, Workspace } from "@bosun/code-server";
import type { RunRecord } from "@bosun/core";

/**
 * The workspace location a run belongs to: its `codeLocation`, or the only location when the run names
 * none (runs created by the CLI against a single file).
 */
export function locationOfRun(
  workspace: Workspace,
  run: Pick<RunRecord, "codeLocation">,
): LocationEntry | undefined {
  if (run.codeLocation !== null) return workspace.get(run.codeLocation);
  const all = workspace.list();
  return all.length === 1 ? all[0] : undefined;
}
