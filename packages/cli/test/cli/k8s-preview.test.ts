/**
 * `bosun k8s preview` as a process: a Helm install of the chart rendered with the real `helm`
 * (`--values`, `--location`), the paths inside the container, `--explain`, and the error paths.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureK8sTools, validateObject } from "@bosun/kube-sim";
import { type CliResult, runBosun } from "@bosun/test-support";
import type { V1Job } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments, stringify as stringifyYaml } from "yaml";

/** Jobs whose tags and ops set config: `hello_job` (job tag), `fan_out_job` (k8sJobExecutor, op tags). */
const K8S_LOCATION = fileURLToPath(new URL("../../../k8s/test/fixtures/k8s-location.ts", import.meta.url));
const TIMEOUT = 180_000;

let dir: string;
let env: Record<string, string>;
let valuesFile: string;

/** The values of a release: run launcher resources and a node selector, and one code location with its own. */
const VALUES = {
  runLauncher: {
    config: {
      k8sRunLauncher: {
        image: "acme/bosun-runs:1.0.0",
        resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } },
        runK8sConfig: { podSpecConfig: { nodeSelector: { pool: "batch" } } },
      },
    },
  },
  "bosun-user-deployments": {
    deployments: [
      {
        name: "sales",
        image: { repository: "acme/sales", tag: "1.4.2", pullPolicy: "IfNotPresent" },
        codeServerArgs: ["-f", "/app/definitions.ts"],
        port: 4000,
        resources: { limits: { cpu: "2" } },
        nodeSelector: { disktype: "ssd" },
      },
    ],
  },
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "bosun-k8s-preview-cli-"));
  const { helm } = await ensureK8sTools();
  env = { BOSUN_HOME: path.join(dir, "home"), BOSUN_HELM: helm };
  valuesFile = path.join(dir, "values.yaml");
  await writeFile(valuesFile, stringifyYaml(VALUES));
}, TIMEOUT);
afterAll(() => rm(dir, { recursive: true, force: true }));

const preview = (args: readonly string[], extraEnv: Record<string, string> = {}): Promise<CliResult> =>
  runBosun(["k8s", "preview", "-f", K8S_LOCATION, ...args], { ...env, ...extraEnv });

const jobsOf = (text: string): V1Job[] => parseAllDocuments(text).map((document) => document.toJS() as V1Job);

/** The `--explain` line of one field: `# <path> = <value>  ← <layer>`, and the lines under it. */
function explainLine(stdout: string, field: string): string {
  const line = stdout.split("\n").find((candidate) => candidate.startsWith(`# ${field} = `));
  if (line === undefined) throw new Error(`no --explain line for ${field} in:\n${stdout}`);
  return line;
}

function overrideLinesOf(stdout: string, field: string): string[] {
  const lines = stdout.split("\n");
  const start = lines.findIndex((candidate) => candidate.startsWith(`# ${field} = `));
  const out: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith("#     overrode")) break;
    out.push(line);
  }
  return out;
}

describe("bosun k8s preview --values", () => {
  it(
    "merges the chart's run launcher config with the location's container context into a Job the API server accepts",
    async () => {
      const result = await preview(["-j", "hello_job", "--values", valuesFile, "--location", "sales"]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const [runJob] = jobsOf(result.stdout);
      expect(validateObject(runJob!)).toEqual([]);
      const pod = runJob!.spec!.template.spec!;
      const container = pod.containers[0]!;
      // The location's limit wins over the launcher's; the launcher's other values stay.
      expect(container.resources).toEqual({
        limits: { cpu: "2", memory: "1Gi" },
        requests: { cpu: "250m", memory: "256Mi" },
      });
      expect(pod.nodeSelector).toEqual({ pool: "batch", disktype: "ssd" });
      expect(container.image).toBe("acme/sales:1.4.2");
      // The worker loads the code where the code server does, inside the image.
      expect(container.args).toEqual([
        "api",
        "execute-run",
        "00000000-0000-4000-8000-000000000000",
        "-f",
        "/app/definitions.ts",
      ]);
      expect(runJob!.metadata!.labels!["bosun/code-location"]).toBe("sales");
      expect(pod.volumes).toContainEqual({
        name: "bosun-instance-config",
        configMap: { name: "bosun-instance" },
      });
      // In-image paths, as comments above the manifest.
      expect(result.stdout).toMatch(/^# {3}code location file +\/app\/definitions\.ts /m);
      expect(result.stdout).toMatch(
        /^# {3}instance config +\/opt\/bosun\/bosun_home\/bosun\.yaml +\(configMap bosun-instance, key bosun\.yaml, read-only\)$/m,
      );
      expect(result.stdout).toMatch(/^# {3}volume bosun-tmp +\/tmp +\(emptyDir\)$/m);
    },
    TIMEOUT,
  );

  it(
    "--explain attributes each field to the chart default, the values' run launcher config, the location's container context or the job tag, with what was overridden",
    async () => {
      const result = await preview([
        "-j",
        "hello_job",
        "--values",
        valuesFile,
        "--location",
        "sales",
        "--explain",
      ]);
      expect(result.code).toBe(0);
      const container = "spec.template.spec.containers[0]";
      expect(explainLine(result.stdout, `${container}.resources.limits.cpu`)).toMatch(
        /= "2" +← location container context \(container_context\)$/,
      );
      expect(overrideLinesOf(result.stdout, `${container}.resources.limits.cpu`)).toEqual([
        '#     overrode "1" from instance run launcher config (launcher); replaced by location container context',
      ]);
      expect(explainLine(result.stdout, `${container}.resources.limits.memory`)).toMatch(
        /= "1Gi" +← instance run launcher config \(launcher\)$/,
      );
      expect(explainLine(result.stdout, "spec.template.spec.nodeSelector.pool")).toMatch(
        /← instance run launcher config \(launcher\.run_k8s_config\)$/,
      );
      expect(explainLine(result.stdout, "spec.template.spec.nodeSelector.disktype")).toMatch(
        /← location container context \(container_context\.run_k8s_config\)$/,
      );
      // Set by the chart whatever the values say: its ServiceAccount and the writable BOSUN_HOME volume.
      expect(explainLine(result.stdout, "spec.template.spec.serviceAccountName")).toMatch(
        /= "bosun" +← chart default \(launcher\)$/,
      );
      expect(explainLine(result.stdout, "spec.template.spec.volumes[0]")).toMatch(
        /← chart default \(launcher\)$/,
      );
      expect(explainLine(result.stdout, `${container}.env[0]`)).toMatch(
        /"FROM_JOB_TAG".* +← job tag bosun-k8s\/config$/,
      );
      expect(explainLine(result.stdout, `${container}.image`)).toMatch(
        /= "acme\/sales:1\.4\.2" +← location container context \(container_context\)$/,
      );
      // The explain block is YAML comments: the output still parses as the same Job.
      expect(jobsOf(result.stdout)).toHaveLength(1);
    },
    TIMEOUT,
  );

  it(
    "--explain names the op tag for a step Job of the k8sJobExecutor",
    async () => {
      const result = await preview([
        "-j",
        "fan_out_job",
        "--op",
        "square",
        "--values",
        valuesFile,
        "--location",
        "sales",
        "--explain",
      ]);
      expect(result.code).toBe(0);
      const stepJob = jobsOf(result.stdout)[0]!;
      expect(validateObject(stepJob)).toEqual([]);
      expect(result.stdout).toMatch(
        /^# spec\.template\.spec\.containers\[0\]\.env\[\d+\] = .*"FROM_OP_TAG".* ← op tag bosun-k8s\/config$/m,
      );
    },
    TIMEOUT,
  );
});

describe("bosun k8s preview errors", () => {
  it(
    "names the nearest code location when --location is unknown",
    async () => {
      const result = await preview(["-j", "hello_job", "--values", valuesFile, "--location", "sale"]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain(
        '--location "sale": no such code location in the chart\'s deployments (did you mean "sales"?)',
      );
    },
    TIMEOUT,
  );

  it(
    "rejects an unknown key of the --instance file, naming the nearest valid key",
    async () => {
      const instanceFile = path.join(dir, "bosun-typo.yaml");
      await writeFile(instanceFile, "run_launchr:\n  k8s:\n    image: acme/app:1\n");
      const result = await preview(["-j", "hello_job", "--instance", instanceFile]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `${instanceFile}: run_launchr: unknown key (did you mean "run_launcher"?)`,
      );
    },
    TIMEOUT,
  );

  it(
    "rejects an unknown key inside the --instance file's run launcher config, naming the nearest valid key",
    async () => {
      const instanceFile = path.join(dir, "bosun-launcher-typo.yaml");
      await writeFile(instanceFile, "run_launcher:\n  k8s:\n    image: acme/app:1\n    job_namespac: data\n");
      const result = await preview(["-j", "hello_job", "--instance", instanceFile]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `${instanceFile}: run_launcher.k8s: \`job_namespac\`: unknown field; did you mean \`job_namespace\`?`,
      );
    },
    TIMEOUT,
  );

  it(
    "says which values file does not exist",
    async () => {
      const missing = path.join(dir, "missing-values.yaml");
      const result = await preview(["-j", "hello_job", "--values", valuesFile, "--values", missing]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`${missing}: no such file (given with --values)`);
    },
    TIMEOUT,
  );

  it(
    "says how to get helm when it cannot be run",
    async () => {
      const absent = path.join(dir, "no-helm-here");
      const result = await preview(["-j", "hello_job", "--values", valuesFile], { BOSUN_HELM: absent });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`cannot run helm (tried ${JSON.stringify(absent)})`);
      expect(result.stderr).toContain("npx tsx packages/kube-sim/src/tools/fetch-k8s-tools.ts");
    },
    TIMEOUT,
  );

  it(
    "refuses --values together with --instance, and a Helm release that launches no Jobs",
    async () => {
      const both = await preview(["-j", "hello_job", "--values", valuesFile, "--instance", valuesFile]);
      expect(both.code).toBe(1);
      expect(both.stderr).toContain(
        "give --values (with --location) or --instance/--container-context, not both",
      );
      const processes = path.join(dir, "default-launcher.yaml");
      await writeFile(processes, "runLauncher:\n  type: DefaultRunLauncher\n");
      const result = await preview(["-j", "hello_job", "--values", processes]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("runLauncher.type is DefaultRunLauncher");
    },
    TIMEOUT,
  );
});
