import type { LocationEntry } from "@bosun/code-server";
import type { RunRecord } from "@bosun/core";
import { type BatchV1Api, type CoreV1Api, KubeConfig, type V1Job } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { KubeClients } from "../client/kube-clients.ts";
import { K8sRunLauncher } from "./k8s-run-launcher.ts";

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

/** Clients whose only working call is the Job create, recorded; any other call would throw. */
function fakeClients(created: V1Job[]): KubeClients {
  return {
    kc: new KubeConfig(),
    describe: "fake",
    core: {} as CoreV1Api,
    batch: {
      createNamespacedJob: async ({ body }: { body: V1Job }) => {
        created.push(body);
        return body;
      },
    } as unknown as BatchV1Api,
  };
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
});
