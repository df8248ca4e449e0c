import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type KubeSim, namespaceSupport } from "../src/index.ts";
import {
  clients,
  createNamespace,
  createPod,
  runPod,
  startTestSim,
  type TestClients,
  uniqueName,
  waitFor,
  waitForPod,
} from "./support.ts";

// Pods are real processes; leave room for a loaded 2-core machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

type Any = Record<string, any>;

let sim: KubeSim;
let api: TestClients;
const support = await namespaceSupport();

beforeAll(async () => {
  sim = await startTestSim();
  api = clients(sim);
});

afterAll(async () => {
  await sim?.stop();
});

function job(name: string, command: string, extra: Any = {}): k8s.V1Job {
  return {
    metadata: { name },
    spec: {
      backoffLimit: 0,
      ...extra,
      template: {
        spec: {
          restartPolicy: "Never",
          containers: [{ name: "main", image: "busybox:1.36", command: ["sh", "-c", command] }],
        },
      },
    },
  };
}

function finished(j: k8s.V1Job): string | undefined {
  return j.status?.conditions?.find(
    (c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True",
  )?.type;
}

describe("kube-sim through @kubernetes/client-node", () => {
  it("runs a Job's pod as a real command and marks the Job Complete", async () => {
    const ns = uniqueName("job-ok");
    await createNamespace(sim, ns);
    await api.batch.createNamespacedJob({
      namespace: ns,
      body: job("hello", "echo hello from $HOSTNAME; exit 0"),
    });
    const done = await waitFor("job to finish", async () => {
      const j = await api.batch.readNamespacedJob({ name: "hello", namespace: ns });
      return finished(j) ? j : undefined;
    });
    expect(finished(done)).toBe("Complete");
    expect(done.status?.succeeded).toBe(1);
    const pods = await api.core.listNamespacedPod({ namespace: ns, labelSelector: "job-name=hello" });
    expect(pods.items).toHaveLength(1);
    const pod = pods.items[0]!;
    expect(pod.status?.phase).toBe("Succeeded");
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 0,
      reason: "Completed",
    });
    expect(pod.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: "Job",
      name: "hello",
      controller: true,
    });
    const log = await api.core.readNamespacedPodLog({ name: pod.metadata!.name!, namespace: ns });
    expect(log).toBe(`hello from ${pod.metadata!.name}\n`);
  });

  it("retries a failing Job backoffLimit times and then marks it Failed", async () => {
    const ns = uniqueName("job-fail");
    await createNamespace(sim, ns);
    await api.batch.createNamespacedJob({
      namespace: ns,
      body: job("boom", "echo failing; exit 3", { backoffLimit: 2 }),
    });
    const done = await waitFor("job to fail", async () => {
      const j = await api.batch.readNamespacedJob({ name: "boom", namespace: ns });
      return finished(j) ? j : undefined;
    });
    expect(finished(done)).toBe("Failed");
    expect(done.status?.conditions?.find((c) => c.type === "Failed")?.reason).toBe("BackoffLimitExceeded");
    expect(done.status?.failed).toBe(3);
    const pods = await api.core.listNamespacedPod({ namespace: ns, labelSelector: "job-name=boom" });
    expect(pods.items).toHaveLength(3);
    for (const pod of pods.items) {
      expect(pod.status?.phase).toBe("Failed");
      expect(pod.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({
        exitCode: 3,
        reason: "Error",
      });
    }
  });

  it("lets a watch see a pod's phase transitions in order", async () => {
    const ns = uniqueName("watch");
    await createNamespace(sim, ns);
    const seen: string[] = [];
    const watch = new k8s.Watch(api.kc);
    let stop: (() => void) | undefined;
    const ended = new Promise<void>((resolve, reject) => {
      watch
        .watch(
          `/api/v1/namespaces/${ns}/pods`,
          {},
          (type, pod: k8s.V1Pod) => {
            const entry = `${type}:${pod.status?.phase ?? "-"}`;
            if (seen[seen.length - 1] !== entry) seen.push(entry);
            if (type === "DELETED") resolve();
          },
          (error) => (error ? reject(error) : resolve()),
        )
        .then((req) => {
          stop = () => req.abort();
        }, reject);
    });
    await waitFor("watch to start", () => stop);
    await createPod(api, ns, "p", {
      restartPolicy: "Never",
      containers: [{ name: "c", image: "busybox:1", command: ["sh", "-c", "sleep 0.3"] }],
    });
    await waitForPod(api, ns, "p", "pod to succeed", (p) => p.status?.phase === "Succeeded");
    await api.core.deleteNamespacedPod({ name: "p", namespace: ns });
    await ended;
    stop?.();
    expect(seen[0]).toBe("ADDED:Pending");
    expect(seen.indexOf("MODIFIED:Running")).toBeGreaterThan(0);
    expect(seen.indexOf("MODIFIED:Succeeded")).toBeGreaterThan(seen.indexOf("MODIFIED:Running"));
    expect(seen[seen.length - 1]).toBe("DELETED:Succeeded");
  });

  it("lets an informer see a Job go from active to Complete", async () => {
    const ns = uniqueName("informer");
    await createNamespace(sim, ns);
    const informer = k8s.makeInformer(api.kc, `/apis/batch/v1/namespaces/${ns}/jobs`, () =>
      api.batch.listNamespacedJob({ namespace: ns }),
    );
    const seen: string[] = [];
    const record = (kind: string) => (j: k8s.V1Job) => {
      const state = `${kind}:${finished(j) ?? (j.status?.active ? "active" : "new")}`;
      if (seen[seen.length - 1] !== state) seen.push(state);
    };
    informer.on("add", record("add"));
    informer.on("update", record("update"));
    informer.on("delete", record("delete"));
    await informer.start();
    try {
      await api.batch.createNamespacedJob({ namespace: ns, body: job("watched", "sleep 0.2") });
      await waitFor("Complete seen", () => (seen.includes("update:Complete") ? true : undefined));
      await api.batch.deleteNamespacedJob({
        name: "watched",
        namespace: ns,
        propagationPolicy: "Background",
      });
      await waitFor("delete seen", () => (seen.includes("delete:Complete") ? true : undefined));
    } finally {
      await informer.stop();
    }
    expect(seen).toEqual(["add:new", "update:active", "update:Complete", "delete:Complete"]);
  });

  it("rejects a misspelt container field with 422 naming the path", async () => {
    const ns = uniqueName("invalid");
    await createNamespace(sim, ns);
    const body = job("bad", "true") as Any;
    body.spec.template.spec.containers[0].volume_mounts = [];
    // The typed client drops unknown fields, so send the raw object as kubectl would.
    const response = await fetch(`${sim.server}/apis/batch/v1/namespaces/${ns}/jobs`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${sim.token}` },
      body: JSON.stringify({ apiVersion: "batch/v1", kind: "Job", ...body }),
    });
    expect(response.status).toBe(422);
    const status = (await response.json()) as Any;
    expect(status).toMatchObject({ kind: "Status", status: "Failure", reason: "Invalid", code: 422 });
    expect(status.details.causes).toEqual([
      {
        reason: "FieldValueUnknown",
        message: "unknown field; did you mean volumeMounts?",
        field: "spec.template.spec.containers[0].volume_mounts",
      },
    ]);
    // The typed client sees the same Status for a wrong type it cannot drop.
    const wrong = job("bad2", "true") as Any;
    wrong.spec.backoffLimit = -1;
    await expect(api.batch.createNamespacedJob({ namespace: ns, body: wrong })).rejects.toMatchObject({
      code: 422,
    });
  });

  it("leaves a pod with an unmapped image Pending in ImagePullBackOff", async () => {
    const ns = uniqueName("pull");
    await createNamespace(sim, ns);
    await createPod(api, ns, "nope", { containers: [{ name: "c", image: "example.com/not-mapped:1" }] });
    const pod = await waitForPod(
      api,
      ns,
      "nope",
      "ImagePullBackOff",
      (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === "ImagePullBackOff",
    );
    expect(pod.status?.phase).toBe("Pending");
    const events = await api.core.listNamespacedEvent({
      namespace: ns,
      fieldSelector: "involvedObject.name=nope",
    });
    const messages = events.items.map((e) => `${e.type} ${e.reason} ${e.message}`);
    expect(messages).toContain("Warning Failed Error: ErrImagePull");
    expect(messages).toContain("Warning Failed Error: ImagePullBackOff");
  });

  it("leaves a pod whose nodeSelector no node satisfies Pending and Unschedulable", async () => {
    const ns = uniqueName("sched");
    await createNamespace(sim, ns);
    await createPod(api, ns, "gpu", {
      nodeSelector: { accelerator: "tpu" },
      containers: [{ name: "c", image: "busybox:1", command: ["true"] }],
    });
    const pod = await waitForPod(api, ns, "gpu", "PodScheduled=False", (p) =>
      p.status?.conditions?.find((c) => c.type === "PodScheduled" && c.status === "False"),
    );
    expect(pod.status?.phase).toBe("Pending");
    expect(pod.status?.conditions?.find((c) => c.type === "PodScheduled")?.reason).toBe("Unschedulable");
    const events = await api.core.listNamespacedEvent({
      namespace: ns,
      fieldSelector: "reason=FailedScheduling",
    });
    expect(events.items[0]?.message).toContain("didn't match Pod's node affinity/selector");
  });

  it("removes a Job's pods before the Job on foreground deletion", async () => {
    const ns = uniqueName("fg");
    await createNamespace(sim, ns);
    // The pod ignores SIGTERM, so it (and with it the Job) outlives the delete call by its 1 s grace period.
    const body = job("long", "trap '' TERM; sleep 30");
    body.spec!.template.spec!.terminationGracePeriodSeconds = 1;
    await api.batch.createNamespacedJob({ namespace: ns, body });
    await waitFor("pod running", async () => {
      const pods = await api.core.listNamespacedPod({ namespace: ns, labelSelector: "job-name=long" });
      return pods.items[0]?.status?.phase === "Running" ? true : undefined;
    });
    await api.batch.deleteNamespacedJob({
      name: "long",
      namespace: ns,
      propagationPolicy: "Foreground",
      gracePeriodSeconds: 1,
    });
    const during = await api.batch.readNamespacedJob({ name: "long", namespace: ns });
    expect(during.metadata?.deletionTimestamp).toBeDefined();
    expect(during.metadata?.finalizers).toContain("foregroundDeletion");
    await waitFor("job gone", async () => {
      try {
        await api.batch.readNamespacedJob({ name: "long", namespace: ns });
        return undefined;
      } catch (error) {
        return (error as { code?: number }).code === 404 ? true : undefined;
      }
    });
    const pods = await api.core.listNamespacedPod({ namespace: ns });
    expect(pods.items).toEqual([]);
  });

  it("replaces a Deployment's pod when its template annotation changes", async () => {
    const ns = uniqueName("roll");
    await createNamespace(sim, ns);
    const labels = { app: "roller" };
    await api.apps.createNamespacedDeployment({
      namespace: ns,
      body: {
        metadata: { name: "roller" },
        spec: {
          selector: { matchLabels: labels },
          template: {
            metadata: { labels, annotations: { "checksum/config": "a" } },
            spec: { containers: [{ name: "c", image: "busybox:1", command: ["sleep", "30"] }] },
          },
        },
      },
    });
    const firstPod = await waitFor("first pod running", async () => {
      const pods = await api.core.listNamespacedPod({ namespace: ns, labelSelector: "app=roller" });
      const running = pods.items.filter(
        (p) => p.status?.phase === "Running" && !p.metadata?.deletionTimestamp,
      );
      return running.length === 1 ? running[0]!.metadata!.name! : undefined;
    });
    await api.apps.patchNamespacedDeployment(
      {
        name: "roller",
        namespace: ns,
        body: { spec: { template: { metadata: { annotations: { "checksum/config": "b" } } } } },
      },
      k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.StrategicMergePatch),
    );
    const secondPod = await waitFor("replacement pod", async () => {
      const pods = await api.core.listNamespacedPod({ namespace: ns, labelSelector: "app=roller" });
      const live = pods.items.filter((p) => !p.metadata?.deletionTimestamp);
      return live.length === 1 && live[0]!.metadata!.name !== firstPod && live[0]!.status?.phase === "Running"
        ? live[0]!
        : undefined;
    });
    expect(secondPod.metadata?.annotations?.["checksum/config"]).toBe("b");
    expect(secondPod.metadata?.labels?.["pod-template-hash"]).toBeDefined();
    const sets = await api.apps.listNamespacedReplicaSet({ namespace: ns });
    expect(sets.items.map((rs) => rs.spec?.replicas).sort()).toEqual([0, 1]);
  });

  it.skipIf(!support.ok)(
    `resolves a Service name from inside a pod to the pod serving it${support.ok ? "" : ` (skipped: ${support.reason})`}`,
    async () => {
      const ns = uniqueName("svc");
      await createNamespace(sim, ns);
      await api.core.createNamespacedPod({
        namespace: ns,
        body: {
          metadata: { name: "server", labels: { app: "server" } },
          spec: {
            containers: [
              {
                name: "http",
                image: "node:24",
                command: [
                  "node",
                  "-e",
                  "require('http').createServer((q,s)=>s.end('served by '+require('os').hostname())).listen(8080)",
                ],
                ports: [{ name: "http", containerPort: 8080 }],
              },
            ],
          },
        },
      });
      await api.core.createNamespacedService({
        namespace: ns,
        body: {
          metadata: { name: "backend" },
          spec: { selector: { app: "server" }, ports: [{ port: 80, targetPort: "http" }] },
        },
      });
      await waitFor("endpoints", async () => {
        const ep = await api.core.readNamespacedEndpoints({ name: "backend", namespace: ns });
        return ep.subsets?.[0]?.addresses?.length ? true : undefined;
      });
      const { log } = await runPod(api, ns, "client", {
        restartPolicy: "Never",
        containers: [
          {
            name: "c",
            image: "node:24",
            command: [
              "node",
              "-e",
              "setTimeout(()=>fetch('http://backend/').then(r=>r.text()).then(t=>console.log(t)),300)",
            ],
          },
        ],
      });
      expect(log.trim()).toBe("served by server");
      const server = await api.core.readNamespacedPod({ name: "server", namespace: ns });
      expect(server.status?.podIP).toMatch(/^10\.244\./);
      await api.core.deleteNamespacedPod({ name: "server", namespace: ns, gracePeriodSeconds: 0 });
    },
  );
});
