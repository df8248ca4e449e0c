import { existsSync, statSync } from "node:fs";
import path from "node:path";
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
  waitForPod,
} from "./support.ts";

// Pods are real processes run under their securityContext (needs root, nsenter, unshare and setpriv).
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let sim: KubeSim;
let api: TestClients;
const support = await namespaceSupport();
const why = support.ok ? "" : ` (skipped: ${support.reason})`;

// A restrictive umask in this test process (its own fork): files the kubelet generates and binds into
// containers must still be readable by a container's non-root user.
const previousUmask = process.umask(0o077);

beforeAll(async () => {
  sim = await startTestSim();
  api = clients(sim);
});

afterAll(async () => {
  await sim?.stop();
  process.umask(previousUmask);
});

describe.skipIf(!support.ok)(`kube-sim kubelet securityContext${why}`, () => {
  it("runs containers as the pod's runAsUser and runAsGroup, a container's own runAsUser overriding the pod's, with no_new_privs when privilege escalation is off", async () => {
    const ns = uniqueName("runas");
    await createNamespace(sim, ns);
    const script = 'echo "$(id -u) $(id -g) $(id -G)"; grep NoNewPrivs /proc/self/status';
    await createPod(api, ns, "p", {
      restartPolicy: "Never",
      securityContext: {
        runAsUser: 10001,
        runAsGroup: 10001,
        fsGroup: 10003,
        supplementalGroups: [10004],
      },
      containers: [
        {
          name: "pod-level",
          image: "busybox:1",
          command: ["sh", "-c", script],
          securityContext: { allowPrivilegeEscalation: false },
        },
        {
          name: "own",
          image: "busybox:1",
          command: ["sh", "-c", script],
          securityContext: { runAsUser: 10002 },
        },
      ],
    });
    await waitForPod(api, ns, "p", "pod p to finish", (p) => p.status?.phase === "Succeeded");
    const logs = await Promise.all(
      ["pod-level", "own"].map((container) =>
        api.core.readNamespacedPodLog({ name: "p", namespace: ns, container }),
      ),
    );
    expect(logs).toEqual([
      "10001 10001 10001 10003 10004\nNoNewPrivs:\t1\n",
      "10002 10001 10001 10003 10004\nNoNewPrivs:\t0\n",
    ]);
  });

  it("names a uid and gid the machine does not know through the container's /etc/passwd and /etc/group, with HOME /, and lets that user read the generated hosts file and config map files", async () => {
    const ns = uniqueName("whoami");
    await createNamespace(sim, ns);
    await api.core.createNamespacedConfigMap({
      namespace: ns,
      body: { metadata: { name: "conf" }, data: { "nested.txt": "nested" } },
    });
    const { pod, log } = await runPod(api, ns, "p", {
      restartPolicy: "Never",
      securityContext: { runAsUser: 10001, runAsGroup: 10001 },
      containers: [
        {
          name: "c",
          image: "busybox:1",
          command: [
            "sh",
            "-c",
            'whoami; id -gn; echo "$HOME"; head -n 1 /etc/hosts; cat /conf/deep/nested.txt',
          ],
          volumeMounts: [{ name: "conf", mountPath: "/conf" }],
        },
      ],
      volumes: [
        {
          name: "conf",
          configMap: { name: "conf", items: [{ key: "nested.txt", path: "deep/nested.txt" }] },
        },
      ],
    });
    expect({ phase: pod.status?.phase, log }).toEqual({
      phase: "Succeeded",
      log: "uid-10001\ngid-10001\n/\n# Kubernetes-managed hosts file (kube-sim).\nnested",
    });
  });

  it("refuses to start a runAsNonRoot container that would run as root with CreateContainerConfigError", async () => {
    const ns = uniqueName("nonroot");
    await createNamespace(sim, ns);
    await createPod(api, ns, "p", {
      securityContext: { runAsNonRoot: true },
      containers: [
        { name: "implicit", image: "busybox:1", command: ["true"] },
        { name: "explicit", image: "busybox:1", command: ["true"], securityContext: { runAsUser: 0 } },
      ],
    });
    const pod = await waitForPod(api, ns, "p", "both containers refused", (p) => {
      const reasons = (p.status?.containerStatuses ?? []).map((s) => s.state?.waiting?.reason);
      return reasons.length === 2 && reasons.every((r) => r === "CreateContainerConfigError");
    });
    const waiting = Object.fromEntries(
      (pod.status?.containerStatuses ?? []).map((s) => [s.name, s.state?.waiting?.message]),
    );
    const subject = `(pod: "p_${ns}(${pod.metadata?.uid})"`;
    expect(waiting).toEqual({
      implicit: `container has runAsNonRoot and image will run as root ${subject}, container: implicit)`,
      explicit: `container's runAsUser breaks non-root policy ${subject}, container: explicit)`,
    });
    expect(pod.status?.phase).toBe("Pending");
  });

  it("makes the root file system read-only under readOnlyRootFilesystem while volumes stay writable unless mounted readOnly", async () => {
    const ns = uniqueName("rofs");
    await createNamespace(sim, ns);
    const probe = `/var/tmp/kube-sim-rofs-${ns}`;
    await api.core.createNamespacedConfigMap({
      namespace: ns,
      body: { metadata: { name: "conf" }, data: { "a.txt": "a" } },
    });
    const script = [
      `touch ${probe} 2>&1 | grep -o 'Read-only file system'`,
      "touch /run/netns/kube-sim-rofs 2>&1 | grep -o 'Read-only file system'",
      "echo written > /scratch/file && cat /scratch/file",
      "touch /conf/b.txt 2>&1 | grep -o 'Read-only file system'",
      "touch /scratch-ro/file 2>&1 | grep -o 'Read-only file system'",
    ].join("; ");
    const { pod, log } = await runPod(api, ns, "p", {
      restartPolicy: "Never",
      containers: [
        {
          name: "c",
          image: "busybox:1",
          command: ["sh", "-c", script],
          securityContext: { readOnlyRootFilesystem: true },
          volumeMounts: [
            { name: "scratch", mountPath: "/scratch" },
            { name: "scratch", mountPath: "/scratch-ro", readOnly: true },
            { name: "conf", mountPath: "/conf" },
          ],
        },
      ],
      volumes: [
        { name: "scratch", emptyDir: {} },
        { name: "conf", configMap: { name: "conf" } },
      ],
    });
    expect({ phase: pod.status?.phase, log }).toEqual({
      phase: "Succeeded",
      log: "Read-only file system\nRead-only file system\nwritten\nRead-only file system\nRead-only file system\n",
    });
    // Read-only inside the container only: the machine's own root file system stays writable.
    expect(existsSync(probe)).toBe(false);
  });

  it("gives fsGroup the volumes so a non-root container writes to an emptyDir and a claim, its files getting that group, and reads a 0400 secret", async () => {
    const ns = uniqueName("fsgroup");
    await createNamespace(sim, ns);
    await api.core.createNamespacedPersistentVolumeClaim({
      namespace: ns,
      body: {
        metadata: { name: "data" },
        spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
      },
    });
    await api.core.createNamespacedSecret({
      namespace: ns,
      body: { metadata: { name: "creds" }, stringData: { token: "t0k" } },
    });
    const script = [
      "echo a > /scratch/a && mkdir /data/sub && echo b > /data/sub/b",
      "stat -c '%g %u' /scratch/a /data/sub/b",
      "cat /creds/token; echo",
    ].join(" && ");
    const { pod, log } = await runPod(api, ns, "p", {
      restartPolicy: "Never",
      securityContext: { runAsUser: 10001, runAsGroup: 10002, fsGroup: 10003 },
      containers: [
        {
          name: "c",
          image: "busybox:1",
          command: ["sh", "-c", script],
          volumeMounts: [
            { name: "scratch", mountPath: "/scratch" },
            { name: "data", mountPath: "/data" },
            { name: "creds", mountPath: "/creds" },
          ],
        },
      ],
      volumes: [
        { name: "scratch", emptyDir: {} },
        { name: "data", persistentVolumeClaim: { claimName: "data" } },
        { name: "creds", secret: { secretName: "creds", defaultMode: 0o400 } },
      ],
    });
    expect({ phase: pod.status?.phase, log }).toEqual({
      phase: "Succeeded",
      log: "10003 10001\n10003 10001\nt0k\n",
    });
    const claimDir = path.join(sim.workDir, "kubelet", "claims", ns, "data");
    const root = statSync(claimDir);
    expect({
      gid: root.gid,
      setgid: (root.mode & 0o2000) !== 0,
      written: statSync(path.join(claimDir, "sub", "b")).uid,
    }).toEqual({
      gid: 10003,
      setgid: true,
      written: 10001,
    });
  });

  it("runs exec probes as the container's user", async () => {
    const ns = uniqueName("probeuser");
    await createNamespace(sim, ns);
    await createPod(api, ns, "p", {
      securityContext: { runAsUser: 10001 },
      containers: [
        {
          name: "c",
          image: "busybox:1",
          command: ["sleep", "30"],
          readinessProbe: {
            exec: { command: ["sh", "-c", 'test "$(id -u)" = 10001'] },
            periodSeconds: 1,
          },
        },
      ],
    });
    const pod = await waitForPod(api, ns, "p", "pod ready", (p) => p.status?.containerStatuses?.[0]?.ready);
    expect(pod.status?.containerStatuses?.[0]?.ready).toBe(true);
    await api.core.deleteNamespacedPod({ name: "p", namespace: ns, gracePeriodSeconds: 0 });
  });
});
