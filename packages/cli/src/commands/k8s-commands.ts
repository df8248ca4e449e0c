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
      "Print the exact Kubernetes Job manifests a launch of the job would create (the run's Job, and one per step with the k8sJobExecutor), with the paths inside each container",
    )
    .requiredOption("-f, --file <file>", "code location file (TypeScript)")
    .requiredOption("-j, --job <job>", "job name")
    .option("--op <op>", "only the step Jobs of this op")
    .option("--instance <file>", "bosun.yaml whose run_launcher.k8s section is the launcher config")
    .option(
      "--container-context <file>",
      "the code location's container context (YAML or JSON: {k8s: {...}})",
    )
    .option(
      "--values <file>",
      "preview a Helm install of the chart with this values file (repeatable, later files win, as helm -f)",
      (file: string, previous: string[] = []) => [...previous, file],
    )
    .option(
      "--location <name>",
      "with --values: the code location (deployments entry) whose container context applies",
    )
    .option("--chart <dir>", "with --values: the chart to render (default: the repository's charts/bosun)")
    .option("--helm <path>", "with --values: the helm binary (default: $BOSUN_HELM, then helm on the PATH)")
    .option("--release <name>", "with --values: the release name", "bosun")
    .option("--namespace <namespace>", "with --values: the release namespace", "default")
    .option("--explain", "after each Job, say which layer set each field and what it overrode")
    .action(
      async (options: {
        file: string;
        job: string;
        op?: string;
        instance?: string;
        containerContext?: string;
        values?: string[];
        location?: string;
        chart?: string;
        helm?: string;
        release: string;
        namespace: string;
        explain?: boolean;
      }) => {
        const { previewJobManifests, PreviewOptionsError } = await import("@bosun/k8s");
        if (options.values === undefined) {
          const helmOnly = (["location", "chart", "helm"] as const).find(
            (name) => options[name] !== undefined,
          );
          if (helmOnly !== undefined)
            throw new PreviewOptionsError(`--${helmOnly} applies only with --values`);
        }
        process.stdout.write(
          await previewJobManifests({
            file: options.file,
            job: options.job,
            ...(options.op ? { op: options.op } : {}),
            ...(options.instance ? { instanceFile: options.instance } : {}),
            ...(options.containerContext ? { containerContextFile: options.containerContext } : {}),
            ...(options.values
              ? {
                  helm: {
                    valuesFiles: options.values,
                    release: options.release,
                    namespace: options.namespace,
                    ...(options.location ? { location: options.location } : {}),
                    ...(options.chart ? { chart: options.chart } : {}),
                    ...(options.helm ? { helm: options.helm } : {}),
                  },
                }
              : {}),
            ...(options.explain ? { explain: true } : {}),
          }),
        );
      },
    );
}
