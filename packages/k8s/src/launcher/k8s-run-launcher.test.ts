import type { LocationEntry } from "@bosun/code-server";
import type { RunRecord } from "@bosun/core";
import { type BatchV1Api, type CoreV1Api, KubeConfig, type V1Job } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { KubeClients } from "../client/kube-clients.ts";
import { K8sRunLauncher, RunJobExistsError } from "./k8s-run-launcher.ts";

const RUN: RunRecord = {
  runId: "5c7d0e4a-0000-4000-8000-000000000001",
  jobName: "hello_job",
  status: "STARTING",
  tags: {},
  runConfig: {},
  codeLocation: "analytics",
  partitionKey: null,
  assetSelection: null,
  stepKeysToExecute: null,
  parentRunId: null,
  rootRunId: null,
  launcherInfo: {},
  createdAt: new Date(),
  updatedAt: new Date(),
  startTime: null,
  endTime: null,
};

const LOCATION: LocationEntry = {
  name: "analytics",
  status: "LOADED",
  address: "",
  serverId: null,
  error: null,
  updatedAt: new Date(),
  snapshot: { origin: { file: "/app/definitions.ts" }, containerContext: null } as never,
};

/**
 * Clients whose only working calls are the Job create, recorded, and the Job read; a create whose name
 * is in `existing` fails as Kubernetes does (409 AlreadyExists). Any other call would throw.
 */
function fakeClients(created: V1Job[], existing: readonly V1Job[] = []): KubeClients {
  const byName = (name: string | undefined) => existing.find((job) => job.metadata?.name === name);
  return {
    kc: new KubeConfig(),
    describe: "fake",
    core: {} as CoreV1Api,
    batch: {
      createNamespacedJob: async ({ body }: { body: V1Job }) => {
        if (byName(body.metadata?.name)) throw Object.assign(new Error("AlreadyExists"), { code: 409 });
        created.push(body);
        return body;
      },
      readNamespacedJob: async ({ name }: { name: string }) => {
        const job = byName(name);
        if (!job) throw Object.assign(new Error("NotFound"), { code: 404 });
        return job;
      },
    } as unknown as BatchV1Api,
  };
}

const CONFIG = { image: "bosun/bosun:1.2.3", job_namespace: "data" };

/** The Job an earlier daemon's launcher created for `run` with launch attempt `attempt`. */
function jobOfEarlierDaemon(run: RunRecord, attempt: number): V1Job {
  return K8sRunLauncher.fromConfig(CONFIG, { clients: fakeClients([]) }).jobFor(run, LOCATION, attempt);
}

describe("K8sRunLauncher", () => {
  it("returns the launcher info for the daemon to record (it has no storage), and opens no watch while nobody observes it", async () => {
    const created: V1Job[] = [];
    const launcher = K8sRunLauncher.fromConfig(
      { image: "bosun/bosun:1.2.3", job_namespace: "data" },
      { clients: fakeClients(created) },
    );
    const info = await launcher.launch(RUN, LOCATION);
    expect(created.map((job) => job.metadata?.name)).toEqual([`bosun-run-${RUN.runId}`]);
    expect(info).toMatchObject({
      launcher: "k8s",
      k8sJobName: `bosun-run-${RUN.runId}`,
      k8sNamespace: "data",
      image: "bosun/bosun:1.2.3",
      k8sConfig: expect.any(Object),
    });
    // Only the daemon's run monitor observes: a webserver that terminates runs opens no watch.
    expect(launcher.monitor).toBeNull();
    await launcher.close();
  });

  it("fails the launch, creating nothing, when the code location requests more than the launcher's limit", async () => {
    const created: V1Job[] = [];
    const launcher = K8sRunLauncher.fromConfig(
      {
        image: "bosun/bosun:1.2.3",
        run_k8s_config: { container_config: { resources: { limits: { memory: "1Gi" } } } },
      },
      { clients: fakeClients(created) },
    );
    const location: LocationEntry = {
      ...LOCATION,
      snapshot: {
        origin: { file: "/app/definitions.ts" },
        containerContext: { k8s: { resources: { requests: { memory: "2Gi" } } } },
      } as never,
    };
    await expect(launcher.launch(RUN, location)).rejects.toThrow(
      "`container_config.resources.requests.memory` = 2Gi (container_context) exceeds `limits.memory` = 1Gi (launcher.run_k8s_config)",
    );
    expect(created).toEqual([]);
    await launcher.close();
  });

  it("starts the Job's worker with its launch attempt, which it claims, and records that attempt", async () => {
    const created: V1Job[] = [];
    const launcher = K8sRunLauncher.fromConfig(CONFIG, { clients: fakeClients(created) });
    expect(launcher.workersClaimLaunches).toBe(true);
    const info = await launcher.launch(RUN, LOCATION, 2);
    const args = created[0]?.spec?.template.spec?.containers[0]?.args;
    expect(args?.slice(0, 5)).toEqual(["api", "execute-run", RUN.runId, "--launch-attempt", "2"]);
    expect(info).toMatchObject({ k8sJobName: `bosun-run-${RUN.runId}`, workerLaunchAttempt: 2 });
    await launcher.close();
  });

  it("adopts the run's Job an earlier daemon created instead of creating a second one, recording the attempt its worker claims", async () => {
    const created: V1Job[] = [];
    const logs: string[] = [];
    const launcher = K8sRunLauncher.fromConfig(CONFIG, {
      clients: fakeClients(created, [jobOfEarlierDaemon(RUN, 1)]),
      log: (_level, message) => logs.push(message),
    });
    const info = await launcher.launch(RUN, LOCATION, 2);
    expect(created).toEqual([]);
    expect(info).toMatchObject({
      launcher: "k8s",
      k8sJobName: `bosun-run-${RUN.runId}`,
      k8sNamespace: "data",
      workerLaunchAttempt: 1,
    });
    expect(logs.join("\n")).toContain("exists already (created by an earlier daemon)");
    await launcher.close();
  });

  it("refuses a Job of the run's name that belongs to another run", async () => {
    const other = jobOfEarlierDaemon({ ...RUN, runId: "5c7d0e4a-0000-4000-8000-000000000002" }, 1);
    other.metadata!.name = `bosun-run-${RUN.runId}`;
    const created: V1Job[] = [];
    const launcher = K8sRunLauncher.fromConfig(CONFIG, { clients: fakeClients(created, [other]) });
    const launch = launcher.launch(RUN, LOCATION, 2);
    await expect(launch).rejects.toBeInstanceOf(RunJobExistsError);
    await expect(launch).rejects.toThrow("it belongs to run 5c7d0e4a-0000-4000-8000-000000000002");
    expect(created).toEqual([]);
    await launcher.close();
  });
});
