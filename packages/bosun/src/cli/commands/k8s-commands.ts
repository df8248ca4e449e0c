import type { Command } from "commander";
import { importOptionalPackage } from "../optional-package.ts";

interface K8sPackage {
  mergeConfigFiles(paths: readonly string[], options: { explain: boolean }): Promise<string> | string;
}

export function registerK8sCommands(program: Command): void {
  const k8s = program.command("k8s").description("Kubernetes configuration tools");

  k8s
    .command("merge <files...>")
    .description("Merge raw Kubernetes config documents (YAML or JSON, lowest precedence first) by Bosun's rules and print the result as JSON")
    .option("--explain", "also say, for every field, which document set it")
    .action(async (files: string[], options) => {
      const { mergeConfigFiles } = await importOptionalPackage<K8sPackage>("@bosun/k8s");
      process.stdout.write(await mergeConfigFiles(files, { explain: Boolean(options.explain) }));
    });
}
