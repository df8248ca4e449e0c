import { existsSync } from "node:fs";
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
  waitForLog,
  waitForPod,
  waitForPodToFinish,
} from "./support.ts";

// Pods are real processes; leave room for a loaded 2-core machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let sim: KubeSim;
let api: TestClients;
const support = await namespaceSupport();
const why = support.ok ? "" : ` (skipped: ${support.reason})`;
const memoryCgroups = existsSync("/sys/fs/cgroup/memory") || existsSync("/sys/fs/cgroup/cgroup.controllers");

beforeAll(async () => {
  sim = await startTestSim();
  api = clients(sim);
});

afterAll(async () => {
  await sim?.stop();
});

describe("kube-sim kubelet", () => {
  it.skipIf(!support.ok)(
    `gives a container env from secrets and config maps, envFrom, workingDir and volumes at their mountPath${why}`,
    async () => {
      const ns = uniqueName("env");
      await createNamespace(sim, ns);
      await api.core.createNamespacedSecret({
        namespace: ns,
        body: { metadata: { name: "creds" }, stringData: { password: "s3cret", token: "t0k" } },
      });
      await api.core.createNamespacedConfigMap({
        namespace: ns,
        body: { metadata: { name: "conf" }, data: { MODE: "fast", "app.yaml": "a: 1\n" } },
      });
      const { pod, log } = await runPod(api, ns, "p", {
        restartPolicy: "Never",
        containers: [
          {
            name: "c",
            image: "busybox:1",
            workingDir: "/tmp",
            command: [
              "sh",
              "-c",
              'echo "$PASSWORD $MODE $CFG_MODE $NS $(pwd)"; cat /etc/kube-sim-test/conf/app.yaml; cat /etc/kube-sim-test/creds/token; echo; cat /var/run/secrets/kubernetes.io/serviceaccount/namespace',
            ],
            env: [
              { name: "PASSWORD", valueFrom: { secretKeyRef: { name: "creds", key: "password" } } },
              { name: "NS", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
            ],
            envFrom: [{ configMapRef: { name: "conf" } }, { configMapRef: { name: "conf" }, prefix: "CFG_" }],
            volumeMounts: [
              { name: "conf", mountPath: "/etc/kube-sim-test/conf" },
              { name: "creds", mountPath: "/etc/kube-sim-test/creds" },
            ],
          },
        ],
        volumes: [
          { name: "conf", configMap: { name: "conf" } },
          { name: "creds", secret: { secretName: "creds" } },
        ],
      });
      expect(pod.status?.phase).toBe("Succeeded");
      expect(log).toBe(`s3cret fast fast ${ns} /tmp\na: 1\nt0k\n${ns}`);
    },
  );

  it.skipIf(!support.ok)(
    `mounts a config map key by subPath as a file inside an emptyDir mounted at its parent, beside an emptyDir at /tmp${why}`,
    async () => {
      const ns = uniqueName("subpath");
      await createNamespace(sim, ns);
      await api.core.createNamespacedConfigMap({
        namespace: ns,
        body: { metadata: { name: "conf" }, data: { "app.yaml": "nested: true\n" } },
      });
      const { pod, log } = await runPod(api, ns, "p", {
        restartPolicy: "Never",
        containers: [
          {
            name: "c",
            image: "busybox:1",
            command: [
              "sh",
              "-c",
              "cat /kube-sim-home/app.yaml; echo x > /kube-sim-home/written; ls /kube-sim-home",
            ],
            volumeMounts: [
              // Listed first: an emptyDir over /tmp must not hide the kubelet's files (the sources below).
              { name: "tmp", mountPath: "/tmp" },
              { name: "home", mountPath: "/kube-sim-home" },
              { name: "conf", mountPath: "/kube-sim-home/app.yaml", subPath: "app.yaml", readOnly: true },
            ],
          },
        ],
        volumes: [
          { name: "tmp", emptyDir: {} },
          { name: "home", emptyDir: {} },
          { name: "conf", configMap: { name: "conf" } },
        ],
      });
      expect({ phase: pod.status?.phase, log }).toEqual({
        phase: "Succeeded",
        log: "nested: true\napp.yaml\nwritten\n",
      });
    },
  );

  it("reports a missing secret as CreateContainerConfigError", async () => {
    const ns = uniqueName("cfgerr");
    await createNamespace(sim, ns);
    await createPod(api, ns, "p", {
      containers: [
        {
          name: "c",
          image: "busybox:1",
          command: ["true"],
          env: [{ name: "X", valueFrom: { secretKeyRef: { name: "absent", key: "k" } } }],
        },
      ],
    });
    const pod = await waitForPod(
      api,
      ns,
      "p",
      "config error",
      (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === "CreateContainerConfigError",
    );
    expect(pod.status?.containerStatuses?.[0]?.state?.waiting?.message).toBe('secret "absent" not found');
  });

  it("sends SIGTERM on delete and SIGKILL once the grace period is over", async () => {
    const ns = uniqueName("term");
    await createNamespace(sim, ns);
    await createPod(api, ns, "stubborn", {
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: "c",
          image: "node:24",
          command: [
            "node",
            "-e",
            "process.on('SIGTERM',()=>console.log('got SIGTERM'));console.log('up');setInterval(()=>{},1000)",
          ],
        },
      ],
    });
    await waitForLog(api, ns, "stubborn", "up");
    const started = Date.now();
    const states: string[] = [];
    const unsubscribe = sim.registry.store.subscribe((event) => {
      if (event.resource.kind !== "Pod" || event.object.metadata.namespace !== ns) return;
      const terminated = (event.object.status as any)?.containerStatuses?.[0]?.state?.terminated;
      states.push(terminated ? `${event.type} exit ${terminated.exitCode}` : event.type);
    });
    // Follow the log while the pod is being deleted: the stream ends when the process is gone.
    const followed = fetch(`${sim.server}/api/v1/namespaces/${ns}/pods/stubborn/log?follow=true`).then((r) =>
      r.text(),
    );
    try {
      const deleted = await api.core.deleteNamespacedPod({ name: "stubborn", namespace: ns });
      expect(deleted.metadata?.deletionTimestamp).toBeDefined();
      await waitFor("pod gone", () => (states.includes("DELETED exit 137") ? true : undefined));
    } finally {
      unsubscribe();
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(await followed).toBe("up\ngot SIGTERM\n");
    const events = await api.core.listNamespacedEvent({ namespace: ns, fieldSelector: "reason=Killing" });
    expect(events.items[0]?.message).toBe("Stopping container c");
  });

  it("stops a container with its image's stop signal instead of SIGTERM", async () => {
    const ns = uniqueName("stopsig");
    await createNamespace(sim, ns);
    const script = [
      "for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => { console.log(`got ${s}`); process.exit(0); });",
      "console.log('up'); setInterval(() => {}, 1000);",
    ].join("");
    await createPod(api, ns, "graceful", {
      containers: [{ name: "c", image: "node-stops-on-sigint:1", command: ["node", "-e", script] }],
    });
    await waitForLog(api, ns, "graceful", "up");
    const followed = fetch(`${sim.server}/api/v1/namespaces/${ns}/pods/graceful/log?follow=true`).then((r) =>
      r.text(),
    );
    await api.core.deleteNamespacedPod({ name: "graceful", namespace: ns });
    expect(await followed).toBe("up\ngot SIGINT\n");
  });

  it("restarts a failing container under restartPolicy OnFailure and counts the restart", async () => {
    const ns = uniqueName("restart");
    await createNamespace(sim, ns);
    const { pod, log } = await runPod(api, ns, "flaky", {
      restartPolicy: "OnFailure",
      volumes: [{ name: "scratch", emptyDir: {} }],
      containers: [
        {
          name: "c",
          image: "busybox:1",
          command: [
            "sh",
            "-c",
            support.ok
              ? "if [ -f /kube-sim-scratch/x ]; then echo second; exit 0; fi; touch /kube-sim-scratch/x; echo first; exit 1"
              : "exit 0",
          ],
          volumeMounts: support.ok ? [{ name: "scratch", mountPath: "/kube-sim-scratch" }] : [],
        },
      ],
    });
    expect(pod.status?.phase).toBe("Succeeded");
    if (support.ok) {
      expect(pod.status?.containerStatuses?.[0]?.restartCount).toBe(1);
      expect(pod.status?.containerStatuses?.[0]?.lastState?.terminated?.exitCode).toBe(1);
      expect(await api.core.readNamespacedPodLog({ name: "flaky", namespace: ns, previous: true })).toBe(
        "first\n",
      );
      expect(log).toBe("second\n");
    }
  });

  it.skipIf(!support.ok || !memoryCgroups)(
    `reports OOMKilled when a container exceeds its memory limit${why}`,
    async () => {
      const ns = uniqueName("oom");
      await createNamespace(sim, ns);
      await createPod(api, ns, "hog", {
        restartPolicy: "Never",
        containers: [
          {
            name: "c",
            image: "busybox:1",
            command: [
              "sh",
              "-c",
              "x=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; while true; do x=$x$x; done",
            ],
            resources: { limits: { memory: "32Mi" } },
          },
        ],
      });
      const pod = await waitForPodToFinish(api, ns, "hog");
      expect(pod.status?.phase).toBe("Failed");
      expect(pod.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({
        reason: "OOMKilled",
        exitCode: 137,
      });
    },
  );

  it("names StatefulSet pods name-0..n-1 with stable hostnames", async () => {
    const ns = uniqueName("sts");
    await createNamespace(sim, ns);
    await api.apps.createNamespacedStatefulSet({
      namespace: ns,
      body: {
        metadata: { name: "db" },
        spec: {
          replicas: 2,
          serviceName: "db",
          selector: { matchLabels: { app: "db" } },
          template: {
            metadata: { labels: { app: "db" } },
            spec: {
              containers: [{ name: "c", image: "busybox:1", command: ["sh", "-c", "hostname; sleep 30"] }],
            },
          },
        },
      },
    });
    const names = await waitFor("both pods running", async () => {
      const pods = await api.core.listNamespacedPod({ namespace: ns, labelSelector: "app=db" });
      const running = pods.items.filter((p) => p.status?.phase === "Running").map((p) => p.metadata!.name!);
      return running.length === 2 ? running.sort() : undefined;
    });
    expect(names).toEqual(["db-0", "db-1"]);
    const set = await waitFor("status", async () => {
      const s = await api.apps.readNamespacedStatefulSet({ name: "db", namespace: ns });
      return s.status?.readyReplicas === 2 ? s : undefined;
    });
    expect(set.status?.replicas).toBe(2);
    if (support.ok)
      expect((await api.core.readNamespacedPodLog({ name: "db-1", namespace: ns })).trim()).toBe("db-1");
    await api.apps.deleteNamespacedStatefulSet({
      name: "db",
      namespace: ns,
      propagationPolicy: "Background",
    });
    await waitFor("pods removed", async () =>
      (await api.core.listNamespacedPod({ namespace: ns })).items.length === 0 ? true : undefined,
    );
  });

  it("deletes a finished Job and its pods after ttlSecondsAfterFinished", async () => {
    const ns = uniqueName("ttl");
    await createNamespace(sim, ns);
    await api.batch.createNamespacedJob({
      namespace: ns,
      body: {
        metadata: { name: "short" },
        spec: {
          ttlSecondsAfterFinished: 1,
          template: {
            spec: {
              restartPolicy: "Never",
              containers: [{ name: "c", image: "busybox:1", command: ["true"] }],
            },
          },
        },
      },
    });
    const completed = await waitFor("complete", async () => {
      const j = await api.batch.readNamespacedJob({ name: "short", namespace: ns });
      return j.status?.completionTime ? new Date(j.status.completionTime).getTime() : undefined;
    });
    await waitFor("job and pods deleted", async () => {
      const jobs = await api.batch.listNamespacedJob({ namespace: ns });
      const pods = await api.core.listNamespacedPod({ namespace: ns });
      return jobs.items.length === 0 && pods.items.length === 0 ? true : undefined;
    });
    // completionTime has whole-second precision, as in Kubernetes.
    expect(Date.now()).toBeGreaterThanOrEqual(completed + 1000);
  });

  it("terminates a namespace's objects and then the namespace", async () => {
    const ns = uniqueName("nsdel");
    await createNamespace(sim, ns);
    await createPod(api, ns, "p", {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: "c", image: "busybox:1", command: ["sleep", "30"] }],
    });
    await api.core.deleteNamespace({ name: ns });
    expect((await api.core.readNamespace({ name: ns })).status?.phase).toBe("Terminating");
    await expect(
      api.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: "late" } } }),
    ).rejects.toMatchObject({ code: 403 });
    await waitFor("namespace gone", async () => {
      try {
        await api.core.readNamespace({ name: ns });
        return undefined;
      } catch (error) {
        return (error as { code?: number }).code === 404 ? true : undefined;
      }
    });
  });
});

describe("kube-sim kubelet without namespaces (host network fallback)", () => {
  it("runs pods as plain processes and refuses volume mounts with a FailedMount event", async () => {
    const { startKubeSim } = await import("../src/index.ts");
    const hostSim = await startKubeSim({
      kubelet: { network: "host", images: { "busybox:*": {} }, timing: { volumeRetryMs: 200 } },
    });
    try {
      const host = clients(hostSim);
      expect(hostSim.kubelet?.networkMode).toBe("host");
      await createPod(host, "default", "plain", {
        restartPolicy: "Never",
        containers: [
          { name: "c", image: "busybox:1", command: ["sh", "-c", "echo $KUBERNETES_SERVICE_HOST"] },
        ],
      });
      const done = await waitForPod(
        host,
        "default",
        "plain",
        "plain pod done",
        (p) => p.status?.phase === "Succeeded",
      );
      expect(done.status?.podIP).toBe("127.0.0.1");
      expect(await host.core.readNamespacedPodLog({ name: "plain", namespace: "default" })).toBe(
        "127.0.0.1\n",
      );
      await createPod(host, "default", "mounts", {
        automountServiceAccountToken: false,
        volumes: [{ name: "v", emptyDir: {} }],
        containers: [
          {
            name: "c",
            image: "busybox:1",
            command: ["true"],
            volumeMounts: [{ name: "v", mountPath: "/kube-sim-never" }],
          },
        ],
      });
      const event = await waitFor("FailedMount", async () => {
        const events = await host.core.listNamespacedEvent({
          namespace: "default",
          fieldSelector: "involvedObject.name=mounts,reason=FailedMount",
        });
        return events.items[0];
      });
      expect(event.message).toContain("without mount namespaces");
    } finally {
      await hostSim.stop();
    }
  });
});

describe("kube-sim kubelet probes", () => {
  it("runs gRPC readiness probes against grpc.health.v1.Health and marks the pod ready once it answers SERVING", async () => {
    const ns = uniqueName("grpc-probe");
    await createNamespace(sim, ns);
    // A minimal gRPC health server: NOT_SERVING (status 2) for 1.5 s, then SERVING (status 1).
    const server = [
      "const started=Date.now();",
      "require('http2').createServer((q,s)=>{q.resume();q.on('end',()=>{",
      "const status=Date.now()-started<1500?2:1;",
      "s.writeHead(200,{'content-type':'application/grpc'});s.addTrailers({'grpc-status':'0'});",
      "s.end(Buffer.from([0,0,0,0,2,8,status]));});}).listen(9090);",
    ].join("");
    await createPod(api, ns, "grpc", {
      containers: [
        {
          name: "server",
          image: "node:24",
          command: ["node", "-e", server],
          ports: [{ name: "grpc", containerPort: 9090 }],
          readinessProbe: { grpc: { port: 9090 }, periodSeconds: 1 },
        },
      ],
    });
    const running = await waitForPod(api, ns, "grpc", "running", (p) => p.status?.phase === "Running");
    expect(running.status?.containerStatuses?.[0]?.ready).toBe(false);
    await waitForPod(api, ns, "grpc", "ready", (p) => p.status?.containerStatuses?.[0]?.ready);
  });

  it("keeps a pod unready until its readiness probe passes, and restarts a container whose liveness probe fails", async () => {
    const ns = uniqueName("probes");
    await createNamespace(sim, ns);
    await createPod(api, ns, "slow", {
      containers: [
        {
          name: "web",
          image: "node:24",
          // Serves HTTP only after 1.5 s.
          command: [
            "node",
            "-e",
            "setTimeout(()=>require('http').createServer((q,s)=>s.end('ok')).listen(8080),1500);setInterval(()=>{},1000)",
          ],
          ports: [{ name: "http", containerPort: 8080 }],
          readinessProbe: { httpGet: { path: "/", port: "http" }, periodSeconds: 1 },
        },
      ],
    });
    const running = await waitForPod(api, ns, "slow", "running", (p) => p.status?.phase === "Running");
    expect(running.status?.containerStatuses?.[0]?.ready).toBe(false);
    await waitForPod(api, ns, "slow", "ready", (p) => p.status?.containerStatuses?.[0]?.ready);
    await createPod(api, ns, "sick", {
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: "c",
          image: "busybox:1",
          command: ["sleep", "30"],
          livenessProbe: {
            exec: { command: ["sh", "-c", "exit 1"] },
            periodSeconds: 1,
            failureThreshold: 1,
          },
        },
      ],
    });
    const restarted = await waitForPod(
      api,
      ns,
      "sick",
      "liveness restart",
      (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1,
    );
    expect(restarted.status?.containerStatuses?.[0]?.lastState?.terminated?.exitCode).toBe(143);
    const events = await api.core.listNamespacedEvent({
      namespace: ns,
      fieldSelector: "involvedObject.name=sick,reason=Unhealthy",
    });
    expect(events.items[0]?.message).toBe("Liveness probe failed: exit code 1");
  });
});
