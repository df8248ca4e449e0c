import { openInstance } from "@bosun/instance";
import type { Command } from "commander";
import { BOSUN_COMMAND } from "../bosun-command.ts";
import { CliError } from "../cli-error.ts";
import { untilSignal } from "../until-signal.ts";

/** `bosun queue worker`: serves step queues of `queueExecutor()` until SIGTERM or SIGINT. */
export function registerQueueCommands(program: Command): void {
  const queue = program.command("queue").description("Step queues (queueExecutor): workers");

  queue
    .command("worker")
    .description(
      "Take steps from step queues and run each in a step process (bosun api execute-step), until SIGTERM or SIGINT",
    )
    .requiredOption("--queue <names>", "comma-separated queue names, e.g. default,warehouse")
    .option("--concurrency <n>", "steps run at once per queue by this worker", "1")
    .option("--launch <how>", "how a step runs: process (a step process on this machine)", "process")
    .action(async (options: { queue: string; concurrency: string; launch: string }) => {
      const queues = options.queue
        .split(",")
        .map((name) => name.trim())
        .filter((name) => name.length > 0);
      const bad = queues.find((name) => !/^[A-Za-z0-9_.-]+$/.test(name));
      if (queues.length === 0 || bad !== undefined)
        throw new CliError(
          `--queue: expected comma-separated queue names (letters, digits, _ . -), got ${JSON.stringify(options.queue)}`,
          2,
        );
      const concurrency = Number(options.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1)
        throw new CliError(
          `--concurrency must be a whole number >= 1, got ${JSON.stringify(options.concurrency)}`,
          2,
        );
      if (options.launch !== "process")
        throw new CliError(
          `--launch: expected "process", got ${JSON.stringify(options.launch)} (step Jobs on Kubernetes are not available yet)`,
          2,
        );
      const { openQueueBackend, startQueueWorker } = await import("@bosun/queues");
      const instance = await openInstance({ applicationName: "bosun-queue-worker" });
      const cleanup: (() => Promise<unknown>)[] = [() => instance.close()];
      try {
        const backend = await openQueueBackend(instance.queues, instance.childEnv.BOSUN_DATABASE_URL);
        cleanup.unshift(() => backend.close());
        const worker = await startQueueWorker({
          queues,
          concurrency,
          backend,
          storage: instance.storage,
          bosunCommand: BOSUN_COMMAND,
          childEnv: instance.childEnv,
          leaseMs: instance.queues.leaseMs,
        });
        cleanup.unshift(() => worker.close());
        await untilSignal();
      } finally {
        for (const step of cleanup) await step();
      }
    });
}
