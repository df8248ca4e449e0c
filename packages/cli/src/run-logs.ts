import { didYouMean } from "@bosun/core";
import type { BosunStorage, LogStream } from "@bosun/storage";
import { CliError } from "./cli-error.ts";

/** The steps of a run that started or wrote output, in the order they started. */
export async function stepsOfRun(storage: BosunStorage, runId: string): Promise<string[]> {
  const started = await storage.events.getEvents(runId, { types: ["STEP_START"] });
  const keys = started.map((event) => event.stepKey).filter((key): key is string => key !== null);
  for (const key of await storage.computeLogs.stepKeysWithLogs(runId)) keys.push(key);
  return [...new Set(keys)];
}

/** Refuses a step key the run does not have, naming the ones it has (and the nearest). */
export function checkStepKey(runId: string, step: string, known: readonly string[]): void {
  if (known.includes(step)) return;
  const listed = known.length ? `its steps: ${known.join(", ")}` : "it has no step that started yet";
  throw new CliError(`run ${runId} has no step "${step}"${didYouMean(step, known)} (${listed})`, 2);
}

/** Every step's captured stream, each line prefixed with its step key. */
export async function printEveryStep(storage: BosunStorage, runId: string, stream: LogStream): Promise<void> {
  for (const step of await stepsOfRun(storage, runId)) {
    const { data } = await storage.computeLogs.read(runId, step, stream);
    if (!data) continue;
    const lines = data.endsWith("\n") ? data.slice(0, -1).split("\n") : data.split("\n");
    process.stdout.write(`${lines.map((line) => `[${step}] ${line}`).join("\n")}\n`);
  }
}
