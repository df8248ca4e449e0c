import type { Command } from "commander";

export function registerK8sCommands(program: Command): void {
  const k8s = program.command("k8s").description("Kubernetes configuration tools");

  k8s
    .command("merge <files...>")
    .description(
      "Merge raw Kubernetes config documents (YAML or JSON, lowest precedence first) by Bosun's rules and print the result as JSON",
    )
    .option("--explain", "also say, for every field, which document set it")
    .action(async (files: string[], options) => {
      const { mergeConfigFiles } = await import("@bosun/k8s");
      process.stdout.write(await mergeConfigFiles(files, { explain: Boolean(options.explain) }));
    });

  k8s
    .command("preview")
    .description(
      "Print the exact Kubernetes Job manifests a launch of the job would create (the run's Job, and one per step with the k8sJobExecutor)",
    )
    .requiredOption("-f, --file <file>", "code location file (TypeScript)")
    .requiredOption("-j, --job <job>", "job name")
    .option("--op <op>", "only the step Jobs of this op")
    .option("--instance <file>", "bosun.yaml whose run_launcher.k8s section is the launcher config")
    .option(
      "--container-context <file>",
      "the code location's container context (YAML or JSON: {k8s: {...}})",
    )
    .action(
      async (options: {
        file: string;
        job: string;
        op?: string;
        instance?: string;
        containerContext?: string;
      }) => {
        const { previewJobManifests } = await import("@bosun/k8s");
        process.stdout.write(
          await previewJobManifests({
            file: options.file,
            job: options.job,
            ...(options.op ? { op: options.op } : {}),
            ...(options.instance ? { instanceFile: options.instance } : {}),
            ...(options.containerContext ? { containerContextFile: options.containerContext } : {}),
          }),
        );
      },
    );
}
