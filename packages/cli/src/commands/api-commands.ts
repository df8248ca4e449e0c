import { executeRun, executeStep, LaunchSupersededError, loadDefinitions, stepExitCode } from "@bosun/engine";
import { openInstance } from "@bosun/instance";
import type { Definitions } from "bosun";
import { type Command, Option } from "commander";
import { CliError } from "../cli-error.ts";
import { originFrom } from "../cli-options.ts";
import { PLUGIN_DEFINITION_CHECKS, PLUGIN_EXECUTORS } from "../plugins.ts";

/** Entry points that launchers start; not meant to be typed by people. */
export function registerApiCommands(program: Command): void {
  const api = program
    .command("api")
    .description("Entry points used by launchers (run workers, step workers, code servers)");

  api
    .command("grpc")
    .description(
      "Serve a code location over gRPC (the code server): loads the code once and answers the webserver and daemon",
    )
    .option("-f, --file <file>", "code location file (TypeScript)")
    .option("-m, --module <module>", "code location module")
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .option("--port <port>", "port to listen on (0 picks a free one)", "4000")
    .option("--location-name <name>", "the code location's name, reported by Ping and in logs")
    .option(
      "--container-context <json>",
      "the location's container context as JSON (default: $BOSUN_CONTAINER_CONTEXT), reported in its snapshot",
    )
    .addOption(
      // Set by the workspace manager so that a server it started never outlives it.
      new Option("--stop-when-stdin-closes", "stop when standard input reaches its end").hideHelp(),
    )
    .action(async (options) => {
      const origin = originFrom(options);
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new CliError(
          `--port must be an integer from 0 to 65535, got ${JSON.stringify(options.port)}`,
          2,
        );
      }
      // Loaded here, not at the top: run and step workers never need the gRPC server.
      const { ContainerContextError, resolveContainerContext } = await import("@bosun/code-server");
      const { startCodeServer } = await import("@bosun/code-server");
      let containerContext: ReturnType<typeof resolveContainerContext>;
      try {
        containerContext = resolveContainerContext(options.containerContext);
      } catch (error) {
        if (error instanceof ContainerContextError) throw new CliError(error.message, 2);
        throw error;
      }
      const server = await startCodeServer({
        origin,
        host: options.host,
        port,
        locationName: options.locationName ?? null,
        containerContext,
        checks: PLUGIN_DEFINITION_CHECKS,
      });
      const stop = () => void server.stop();
      process.on("SIGTERM", stop);
      process.on("SIGINT", stop);
      if (options.stopWhenStdinCloses) {
        process.stdin.on("end", stop);
        process.stdin.on("error", stop);
        process.stdin.resume();
        // Watching stdin must not keep the process alive once the step is done.
        (process.stdin as unknown as { unref?: () => void }).unref?.();
      }
      // The workspace manager waits for this line; `--port 0` learns its port from it.
      process.stdout.write(`code server listening on ${server.address}\n`);
      await server.stopped;
      // User code may hold timers or sockets open; a stopped server process must end.
      process.exit(0);
    });

  api
    .command("execute-run [runId]")
    .description("Execute a stored run to completion (the run worker); SIGTERM cancels it")
    .option("-f, --file <file>", "code location file (TypeScript)")
    .option("-m, --module <module>", "code location module")
    .option(
      "--exit-code-on-failure",
      "exit non-zero when the run does not succeed (for a Kubernetes pod to fail)",
    )
    .addOption(
      // Set by DefaultRunLauncher for a warm worker: it loads the code and connects first, then reads the
      // run id (and launch attempt) as one line on standard input (and exits quietly if standard input
      // closes first).
      new Option("--run-id-from-stdin", "read the run id from standard input once ready").hideHelp(),
    )
    .addOption(
      // Set by launchers whose workers claim their launch: a worker whose attempt was superseded runs nothing.
      new Option("--launch-attempt <n>", "the launch attempt to claim before running").hideHelp(),
    )
    .action(async (runIdArgument: string | undefined, options) => {
      const origin = originFrom(options);
      if (!runIdArgument && !options.runIdFromStdin) throw new CliError("give the run id to execute", 2);
      const abort = new AbortController();
      // Until it claims its run, a worker owns nothing: a stop request ends it at once (whatever it is
      // waiting for: the database, its run id, a test pause). From the claim on, it cancels the run.
      let claiming = false;
      const cancel = (signal: NodeJS.Signals) => {
        if (claiming) return abort.abort(new Error(signal));
        process.stderr.write(`${signal} before the run was claimed: this worker runs nothing\n`);
        process.exit(128 + (signal === "SIGINT" ? 2 : 15));
      };
      process.on("SIGTERM", cancel);
      process.on("SIGINT", cancel);
      const instance = await openInstance({ applicationName: "bosun-run-worker", rideOutOutages: true });
      try {
        let definitions: Definitions | undefined;
        let runId = runIdArgument;
        let launchAttempt = launchAttemptOption(options.launchAttempt);
        if (!runId) {
          // A load error is left for executeRun to report as the run's failure.
          definitions = await loadDefinitions(origin).catch(() => undefined);
          const [id, attempt] = (await readLine(process.stdin))?.split(/\s+/) ?? [];
          if (!id) return;
          runId = id;
          launchAttempt = launchAttemptOption(attempt) ?? launchAttempt;
        }
        if (process.env.BOSUN_TEST_PAUSE_BEFORE_CLAIM) {
          // Loaded only for fault tests, so that a worker's start does not pay for @bosun/runs.
          const { pauseForTest } = await import("@bosun/runs");
          await pauseForTest("BOSUN_TEST_PAUSE_BEFORE_CLAIM");
        }
        claiming = true;
        const status = await executeRun({
          storage: instance.storage,
          bosunHome: instance.home,
          runId,
          origin,
          ...(definitions ? { definitions } : {}),
          childEnv: instance.childEnv,
          signal: abort.signal,
          ...(launchAttempt !== undefined ? { launchAttempt } : {}),
          heartbeatIntervalMs: instance.daemon.runMonitoring.workerHeartbeatIntervalMs,
          computeLogs: instance.computeLogs,
          outageToleranceMs: instance.outageToleranceMs,
          executors: PLUGIN_EXECUTORS,
        }).catch((error: unknown) => {
          // Another worker runs the run: this one leaves, having run nothing.
          if (!(error instanceof LaunchSupersededError)) throw error;
          process.stderr.write(`${error.message}\n`);
          return null;
        });
        if (status === null) return;
        process.stderr.write(`run ${runId} ended ${status}\n`);
        if (options.exitCodeOnFailure && status !== "SUCCESS") process.exitCode = 1;
      } finally {
        await instance.close();
      }
    });

  api
    .command("execute-step <runId>")
    .description(
      "Execute one attempt of one step of a stored run (a step pod or queue worker); exit 0 success, 2 retry requested, 1 failure",
    )
    .requiredOption("--step <key>", "step key")
    .option("--retry-number <n>", "0 for the first attempt, then 1, 2...", "0")
    .option("-f, --file <file>", "code location file (TypeScript)")
    .option("-m, --module <module>", "code location module")
    .action(async (runId: string, options) => {
      const origin = originFrom(options);
      const retryNumber = Number(options.retryNumber);
      if (!Number.isInteger(retryNumber) || retryNumber < 0) {
        throw new CliError(
          `--retry-number must be a whole number >= 0, got ${JSON.stringify(options.retryNumber)}`,
          2,
        );
      }
      const abort = new AbortController();
      const cancel = () => abort.abort(new Error("SIGTERM"));
      process.on("SIGTERM", cancel);
      process.on("SIGINT", cancel);
      // A queue worker's step process dies with its worker (stdin is a pipe from it), so that a worker
      // killed outright leaves no step running while another worker takes the step again.
      if (process.env.BOSUN_STEP_EXIT_WITH_PARENT === "1") {
        process.stdin.on("close", () => process.kill(process.pid, "SIGKILL"));
        process.stdin.on("end", () => process.kill(process.pid, "SIGKILL"));
        process.stdin.resume();
        // Watching stdin must not keep the process alive once the step is done.
        (process.stdin as unknown as { unref?: () => void }).unref?.();
      }
      const instance = await openInstance({ applicationName: "bosun-step-worker", rideOutOutages: true });
      try {
        const result = await executeStep({
          storage: instance.storage,
          bosunHome: instance.home,
          runId,
          stepKey: options.step,
          retryNumber,
          origin,
          signal: abort.signal,
          computeLogs: instance.computeLogs,
          outageToleranceMs: instance.outageToleranceMs,
        });
        process.stderr.write(`step ${options.step} of run ${runId}: ${result.outcome}\n`);
        process.exitCode = stepExitCode(result);
      } finally {
        await instance.close();
      }
    });
}

/** `--launch-attempt` (or the attempt read after a run id on standard input) as a number. */
function launchAttemptOption(value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  const attempt = Number(value);
  if (!Number.isInteger(attempt) || attempt < 1)
    throw new CliError(`--launch-attempt must be a whole number >= 1, got ${JSON.stringify(value)}`, 2);
  return attempt;
}

/** The first line of a stream (trimmed), or null when it ends without one. */
function readLine(stream: NodeJS.ReadableStream): Promise<string | null> {
  return new Promise((resolve) => {
    let text = "";
    const done = (line: string | null) => {
      stream.removeListener("data", onData);
      stream.removeListener("end", onEnd);
      stream.pause();
      resolve(line);
    };
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString();
      const newline = text.indexOf("\n");
      if (newline >= 0) done(text.slice(0, newline).trim() || null);
    };
    const onEnd = () => done(text.trim() || null);
    stream.on("data", onData);
    stream.on("end", onEnd);
  });
}
