import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { validateObject } from "@bosun/kube-sim";
import type { V1Job } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { previewJobManifests } from "./preview-job-manifests.ts";

const FIXTURE = fileURLToPath(new URL("../../test/fixtures/k8s-location.ts", import.meta.url));
let dir: string;
let instanceFile: string;
let contextFile: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "bosun-k8s-preview-"));
  instanceFile = path.join(dir, "bosun.yaml");
  contextFile = path.join(dir, "context.yaml");
  await writeFile(
    instanceFile,
    "run_launcher:\n  k8s:\n    image: bosun/bosun:1.2.3\n    job_namespace: data\n    env_vars: [FROM_LAUNCHER=launcher]\n",
  );
  await writeFile(contextFile, "k8s:\n  namespace: analytics\n  env_vars: [FROM_LOCATION=location]\n");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const jobsOf = (text: string): V1Job[] => parseAllDocuments(text).map((document) => document.toJS() as V1Job);
const envOf = (job: V1Job): Record<string, string | undefined> =>
  Object.fromEntries((job.spec?.template.spec?.containers[0]?.env ?? []).map((e) => [e.name, e.value]));

describe("previewJobManifests", () => {
  it("prints the run Job and one Job per step, each valid for the API server, with the layers of each", async () => {
    const jobs = jobsOf(
      await previewJobManifests({
        file: FIXTURE,
        job: "fan_out_job",
        instanceFile,
        containerContextFile: contextFile,
      }),
    );
    expect(jobs.map((job) => job.metadata?.labels?.["app.kubernetes.io/component"])).toEqual([
      "run-worker",
      "step-worker",
      "step-worker",
      "step-worker",
      "step-worker",
      "step-worker",
    ]);
    for (const job of jobs) {
      expect(validateObject(job)).toEqual([]);
      // The code location's namespace wins over the launcher's job_namespace.
      expect(job.metadata?.namespace).toBe("analytics");
    }
    const [runJob, ...stepJobs] = jobs;
    expect(envOf(runJob!)).toMatchObject({
      FROM_LAUNCHER: "launcher",
      FROM_LOCATION: "location",
      FROM_JOB_TAG: "job-tag",
    });
    for (const job of stepJobs) {
      expect(envOf(job)).toMatchObject({
        FROM_LAUNCHER: "launcher",
        FROM_LOCATION: "location",
        FROM_STEP_CONFIG: "all-steps",
      });
      expect(envOf(job).FROM_JOB_TAG).toBeUndefined();
      expect(job.spec?.template.spec?.containers[0]?.image).toBe("bosun/bosun:1.2.3");
    }
  });

  it("prints only the step Jobs of one op with --op, and names the ops when it has no such op", async () => {
    const jobs = jobsOf(
      await previewJobManifests({ file: FIXTURE, job: "fan_out_job", op: "square", instanceFile }),
    );
    expect(jobs.map((job) => job.metadata?.labels?.["bosun/op"])).toEqual(["square", "square_b", "square_c"]);
    expect(envOf(jobs[0]!).FROM_OP_TAG).toBe("square");
    await expect(
      previewJobManifests({ file: FIXTURE, job: "fan_out_job", op: "sqare", instanceFile }),
    ).rejects.toThrow(/no op "sqare" \(ops: numbers, square, total\)/);
  });

  it("fails, naming both layers, when the location's requests exceed the instance's runK8sConfig limits", async () => {
    const limitsFile = path.join(dir, "bosun-limits.yaml");
    const requestsFile = path.join(dir, "context-requests.yaml");
    await writeFile(
      limitsFile,
      "run_launcher:\n  k8s:\n    image: bosun/bosun:1.2.3\n    run_k8s_config:\n      container_config:\n        resources:\n          limits: {memory: 1Gi}\n",
    );
    await writeFile(requestsFile, "k8s:\n  resources:\n    requests: {memory: 2Gi}\n");
    await expect(
      previewJobManifests({
        file: FIXTURE,
        job: "fan_out_job",
        instanceFile: limitsFile,
        containerContextFile: requestsFile,
      }),
    ).rejects.toThrow(
      "`container_config.resources.requests.memory` = 2Gi (container_context) exceeds `limits.memory` = 1Gi (launcher.run_k8s_config)",
    );
  });
});
