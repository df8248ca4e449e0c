import { openInstance } from "@bosun/instance";
import { createRunLauncher, terminateRun } from "@bosun/runs";
import { resolveRunId } from "@bosun/storage";
import { BOSUN_COMMAND } from "./bosun-command.ts";
import { PLUGINS } from "./plugins.ts";

/**
 * `bosun run terminate <id>`: terminates a run as the UI does (`terminateRun`), with the launcher the
 * instance's `bosun.yaml` names, so a running run's worker is found wherever it was launched (a local
 * process by its recorded pid, a Kubernetes Job by its name). A finished run is an error (`RunNotTerminableError`, exit 1).
 */
export async function terminateRunFromCli(given: string): Promise<void> {
  const instance = await openInstance();
  try {
    const runId = await resolveRunId(instance.storage.runs, given);
    const launcher = await createRunLauncher(instance, { plugins: PLUGINS, bosunCommand: BOSUN_COMMAND });
    try {
      const { status } = await terminateRun(instance.storage, launcher, runId, {
        reason: "terminated from the command line",
      });
      process.stdout.write(
        status === "CANCELED"
          ? `Run ${runId} is CANCELED\n`
          : `Run ${runId} is CANCELING: its worker was asked to stop\n`,
      );
    } finally {
      await launcher.close();
    }
  } finally {
    await instance.close();
  }
}
