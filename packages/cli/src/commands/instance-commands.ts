import path from "node:path";
import { openInstance, readInstanceConfig } from "@bosun/instance";
import { bosunHome, migrateStorage, parseStorageConfig } from "@bosun/storage";
import type { Command } from "commander";

export function registerInstanceCommands(program: Command): void {
  const instance = program
    .command("instance")
    .description("Manage the Bosun instance ($BOSUN_HOME, bosun.yaml, storage)");

  instance
    .command("migrate")
    .description(
      "Bring the instance's database schema up to date (safe to run from several processes at once)",
    )
    .action(async () => {
      const home = path.resolve(bosunHome());
      const config = readInstanceConfig(home);
      const result = await migrateStorage(parseStorageConfig(config.raw.storage), {
        env: { ...process.env, BOSUN_HOME: home },
      });
      process.stdout.write(`${JSON.stringify(result)}\n`);
    });

  instance
    .command("info")
    .description("Show where the instance lives and what it holds")
    .option("--json", "print JSON only")
    .action(async (options) => {
      const opened = await openInstance();
      try {
        const info = {
          home: opened.home,
          config: opened.configPath,
          storage: opened.storage.describe(),
          runs: await opened.storage.runs.countRuns({}),
        };
        if (options.json) process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
        else
          for (const [key, value] of Object.entries(info))
            process.stdout.write(`${key}: ${value ?? "(none)"}\n`);
      } finally {
        await opened.close();
      }
    });
}
