import { didYouMean, formatFailure, isTerminalRunStatus, RUN_STATUSES, type RunStatus } from "@bosun/core";
import { loadDefinitions } from "@bosun/engine";
import { openInstance } from "@bosun/instance";
import type { ReexecutionMode } from "@bosun/runs";
import { MIN_RUN_ID_PREFIX_LENGTH, resolveRunId } from "@bosun/storage";
import type { Command } from "commander";
import { CliError } from "../cli-error.ts";
import { collect, originFrom, parseTagOptions, tagOption } from "../cli-options.ts";
import { PLUGIN_DEFINITION_CHECKS } from "../plugins.ts";
import { launchRunInTerminal } from "../run-in-terminal.ts";
import { checkStepKey, printEveryStep, stepsOfRun } from "../run-logs.ts";

function parseStatuses(values: readonly string[] | undefined): RunStatus[] | undefined {
  if (!values || values.length === 0) return undefined;
  return values
    .flatMap((v) => v.split(","))
    .map((value) => {
      const status = value.trim().toUpperCase();
      if (!RUN_STATUSES.includes(status as RunStatus)) {
        throw new CliError(
          `--status ${JSON.stringify(value)} is not a run status${didYouMean(status, RUN_STATUSES)} (one of ${RUN_STATUSES.join(", ")})`,
          2,
        );
      }
      return status as RunStatus;
    });
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new CliError(`expected a positive whole number, got ${JSON.stringify(value)}`, 2);
  return n;
}

/** How every run command describes its run argument (prefixes are resolved by `resolveRunId`). */
const RUN_ID_ARGUMENT = `a run id, or a prefix of it (${MIN_RUN_ID_PREFIX_LENGTH}+ characters) that only one run has`;

export function registerRunCommands(program: Command): void {
  const run = program.command("run").description("Inspect runs stored in the instance");

  const list = run
    .command("list")
    .description("List runs, newest first")
    .option("--status <status>", "only runs with this status (repeatable, or comma-separated)", collect)
    .option("--job <name>", "only runs of this job");
  tagOption(list, "only runs with this tag")
    .option("--limit <n>", "how many runs", positiveInt, 50)
    .option("--cursor <cursor>", "continue after a previous page")
    .option("--json", "print JSON only")
    .action(async (options) => {
      const instance = await openInstance();
      try {
        const page = await instance.storage.runs.listRuns(
          {
            statuses: parseStatuses(options.status),
            jobName: options.job,
            tags: parseTagOptions(options.tag),
          },
          { limit: options.limit, cursor: options.cursor ?? null },
        );
        if (options.json) {
          process.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
          return;
        }
        for (const r of page.runs) {
          process.stdout.write(
            `${r.runId}  ${r.status.padEnd(11)} ${r.jobName.padEnd(24)} ${r.createdAt.toISOString()}\n`,
          );
        }
        if (page.nextCursor) process.stdout.write(`(more: --cursor ${page.nextCursor})\n`);
      } finally {
        await instance.close();
      }
    });

  run
    .command("show")
    .argument("<runId>", RUN_ID_ARGUMENT)
    .description("Show a run and its events")
    .option("--json", "print JSON only: { run, events }")
    .action(async (given: string, options) => {
      const instance = await openInstance();
      try {
        const runId = await resolveRunId(instance.storage.runs, given);
        const found = (await instance.storage.runs.getRun(runId))!;
        const events = await instance.storage.events.getEvents(runId);
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ run: found, events }, null, 2)}\n`);
          return;
        }
        process.stdout.write(
          `Run ${found.runId}\n  job: ${found.jobName}\n  status: ${found.status}\n  created: ${found.createdAt.toISOString()}\n`,
        );
        if (found.parentRunId) process.stdout.write(`  parent run: ${found.parentRunId}\n`);
        for (const [key, value] of Object.entries(found.tags))
          process.stdout.write(`  tag ${key}=${value}\n`);
        for (const event of events) {
          process.stdout.write(
            `${new Date(event.timestamp).toISOString()} ${event.type.padEnd(21)} ${event.stepKey ?? ""} ${event.message}\n`,
          );
          if ("failure" in event.data && event.data.failure)
            process.stdout.write(`${formatFailure(event.data.failure).replace(/^/gm, "    ")}\n`);
        }
      } finally {
        await instance.close();
      }
    });

  run
    .command("logs")
    .argument("<runId>", RUN_ID_ARGUMENT)
    .description("Print a step's captured stdout or stderr (every step's, prefixed, without --step)")
    .option("--step <key>", "step key")
    .option("--stream <stream>", "stdout or stderr", "stdout")
    .option("--follow", "keep printing as the step writes more, until the run ends")
    .action(async (given: string, options) => {
      if (options.stream !== "stdout" && options.stream !== "stderr")
        throw new CliError(`--stream must be stdout or stderr, got ${JSON.stringify(options.stream)}`, 2);
      const instance = await openInstance();
      try {
        const runId = await resolveRunId(instance.storage.runs, given);
        if (!options.step) {
          if (options.follow) throw new CliError("--follow needs --step: follow one step's output", 2);
          await printEveryStep(instance.storage, runId, options.stream);
          return;
        }
        checkStepKey(runId, options.step, await stepsOfRun(instance.storage, runId));
        const chunk = await instance.storage.computeLogs.read(runId, options.step, options.stream);
        process.stdout.write(chunk.data);
        if (options.follow) await followLogs(instance, runId, options.step, options.stream, chunk.nextOffset);
      } finally {
        await instance.close();
      }
    });

  run
    .command("reexecute")
    .argument("<runId>", RUN_ID_ARGUMENT)
    .description(
      "Re-execute a run here: all steps, from failure, or selected steps; reuses the parent's outputs",
    )
    .option("-f, --file <file>", "code location file (TypeScript)")
    .option("-m, --module <module>", "code location module")
    .option("--from-failure", "only steps that did not succeed, and what is downstream of them")
    .option("--steps <keys>", "only these steps (comma-separated)")
    .option("-v, --verbose", "show every event")
    .option("--json", "print only the final run as JSON on stdout")
    .action(async (given: string, options) => {
      if (options.fromFailure && options.steps)
        throw new CliError("give --from-failure or --steps, not both", 2);
      const mode: ReexecutionMode = options.fromFailure ? "fromFailure" : options.steps ? "selected" : "all";
      const origin = originFrom(options);
      const runId = await resolveRunIdInInstance(given);
      const definitions = await loadDefinitions(origin, { checks: PLUGIN_DEFINITION_CHECKS });
      await launchRunInTerminal({
        origin,
        definitions,
        verbose: Boolean(options.verbose),
        json: Boolean(options.json),
        create: (requests) =>
          requests.reexecute({
            parentRunId: runId,
            mode,
            stepKeys: options.steps?.split(",").map((s: string) => s.trim()),
            status: "NOT_STARTED",
          }),
      });
    });

  run
    .command("terminate")
    .argument("<runId>", RUN_ID_ARGUMENT)
    .description(
      "Terminate a queued or running run (as the UI does): a queued run is canceled, a running one's worker is asked to stop",
    )
    .action(async (given: string) => {
      const { terminateRunFromCli } = await import("../terminate-run-command.ts");
      await terminateRunFromCli(given);
    });
}

/** `resolveRunId` for commands that open the instance later (after loading code). */
async function resolveRunIdInInstance(given: string): Promise<string> {
  const instance = await openInstance();
  try {
    return await resolveRunId(instance.storage.runs, given);
  } finally {
    await instance.close();
  }
}

async function followLogs(
  instance: Awaited<ReturnType<typeof openInstance>>,
  runId: string,
  stepKey: string,
  stream: "stdout" | "stderr",
  offset: number,
) {
  const subscription = await instance.storage.computeLogs.watch(runId, stepKey, stream, offset, (chunk) =>
    process.stdout.write(chunk.data),
  );
  await new Promise<void>((resolve) => {
    const timer = setInterval(async () => {
      const current = await instance.storage.runs.getRun(runId);
      if (!current || isTerminalRunStatus(current.status)) {
        clearInterval(timer);
        resolve();
      }
    }, 500);
  });
  await subscription.close();
}
