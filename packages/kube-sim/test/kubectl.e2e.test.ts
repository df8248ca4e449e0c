import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import type { KubeSim } from "../src/index.ts";
import { createNamespace, runTool, startTestSim, tools, uniqueName, waitFor } from "./support.ts";

// Pods are real processes; leave room for a loaded 2-core machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let sim: KubeSim;
let kubectl: string;

beforeAll(async () => {
  [sim, { kubectl }] = await Promise.all([startTestSim(), tools()]);
});

afterAll(async () => {
  await sim?.stop();
});

const k = (...args: string[]) => runTool(kubectl, args, sim);

function manifest(ns: string): string {
  return `
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: ${ns} }
data: { greeting: hello }
---
apiVersion: batch/v1
kind: Job
metadata: { name: greeter, namespace: ${ns} }
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: main
          image: busybox:1.36
          command: ["sh", "-c", "echo \\"$GREETING from $(cat /config/greeting)\\"; echo done"]
          env:
            - name: GREETING
              valueFrom: { configMapKeyRef: { name: settings, key: greeting } }
          volumeMounts: [{ name: settings, mountPath: /tmp/kube-sim-e2e-${ns}/config }]
      volumes: [{ name: settings, configMap: { name: settings } }]
`.replace("/config/greeting", `/tmp/kube-sim-e2e-${ns}/config/greeting`);
}

describe("kube-sim through the real kubectl", () => {
  it("applies a manifest, shows it with get -o yaml, serves logs and deletes it", async () => {
    const ns = uniqueName("kubectl");
    await createNamespace(sim, ns);
    const file = path.join(sim.workDir, `${ns}.yaml`);
    await writeFile(file, manifest(ns));
    const applied = await k("apply", "-f", file);
    expect(applied.stderr).toBe("");
    expect(applied.stdout).toContain("configmap/settings created");
    expect(applied.stdout).toContain("job.batch/greeter created");
    await waitFor("job complete", async () => {
      const r = await k("get", "job", "greeter", "-n", ns, "-o", "jsonpath={.status.succeeded}");
      return r.stdout === "1" ? true : undefined;
    });
    const yaml = await k("get", "job", "greeter", "-n", ns, "-o", "yaml");
    const job = parse(yaml.stdout);
    expect(job.kind).toBe("Job");
    expect(job.status.conditions.map((c: { type: string }) => c.type)).toContain("Complete");
    expect(job.spec.template.metadata.labels["job-name"]).toBe("greeter");
    const logs = await k("logs", "job/greeter", "-n", ns);
    expect(logs.stdout).toBe("hello from hello\ndone\n");
    // Re-applying the same manifest patches nothing.
    const again = await k("apply", "-f", file);
    expect(again.stdout).toContain("configmap/settings unchanged");
    const deleted = await k("delete", "-f", file);
    expect(deleted.stdout).toContain('job.batch "greeter" deleted');
    const after = await k(
      "get",
      "pods,jobs,configmap/settings",
      "-n",
      ns,
      "-o",
      "name",
      "--ignore-not-found",
    );
    expect(after.stdout.trim()).toBe("");
  });

  it("rejects a misspelt field with the API server's 422 message naming the path", async () => {
    const ns = uniqueName("kubectl-bad");
    await createNamespace(sim, ns);
    const file = path.join(sim.workDir, `${ns}.yaml`);
    await writeFile(
      file,
      `apiVersion: batch/v1
kind: Job
metadata: { name: bad, namespace: ${ns} }
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: main, image: busybox:1, volume_mounts: [] }]
`,
    );
    const result = await k("apply", "-f", file);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'The Job "bad" is invalid: spec.template.spec.containers[0].volume_mounts: unknown field; did you mean volumeMounts?',
    );
  });

  it("streams changes with get -w and follows logs with logs -f", async () => {
    const ns = uniqueName("kubectl-watch");
    await createNamespace(sim, ns);
    const watcher = spawn(
      kubectl,
      [
        "get",
        "pods",
        "-n",
        ns,
        "-w",
        "--output-watch-events",
        "-o",
        "custom-columns=EVENT:.type,NAME:.object.metadata.name,PHASE:.object.status.phase",
        "--no-headers",
      ],
      {
        env: { PATH: process.env.PATH ?? "", HOME: sim.workDir, KUBECONFIG: sim.kubeconfigPath },
      },
    );
    let watched = "";
    watcher.stdout.on("data", (d: Buffer) => {
      watched += d.toString();
    });
    try {
      await new Promise((r) => setTimeout(r, 300));
      const run = await k(
        "run",
        "ticker",
        "-n",
        ns,
        "--image=busybox:1",
        "--restart=Never",
        "--",
        "sh",
        "-c",
        "echo one; sleep 0.5; echo two",
      );
      expect(run.stdout).toContain("pod/ticker created");
      await waitFor("pod running", async () =>
        (await k("get", "pod", "ticker", "-n", ns, "-o", "jsonpath={.status.phase}")).stdout !== "Pending"
          ? true
          : undefined,
      );
      const follow = await k("logs", "-f", "ticker", "-n", ns);
      expect(follow.stdout).toBe("one\ntwo\n");
      await k("delete", "pod", "ticker", "-n", ns);
      await waitFor("DELETED event", () => (/DELETED\s+ticker/.test(watched) ? true : undefined));
    } finally {
      watcher.kill();
    }
    const phases = watched
      .trim()
      .split("\n")
      .map((l) => l.trim().split(/\s+/));
    expect(phases[0]).toEqual(["ADDED", "ticker", "Pending"]);
    const order = phases.map((p) => `${p[0]} ${p[2]}`);
    expect(order.indexOf("MODIFIED Running")).toBeGreaterThan(0);
    expect(order.indexOf("MODIFIED Succeeded")).toBeGreaterThan(order.indexOf("MODIFIED Running"));
    expect(order[order.length - 1]).toBe("DELETED Succeeded");
  });

  it("server-side applies and prints every built-in kind it serves", async () => {
    const ns = uniqueName("kubectl-ssa");
    await createNamespace(sim, ns);
    const file = path.join(sim.workDir, `${ns}.yaml`);
    await writeFile(
      file,
      `apiVersion: v1
kind: ConfigMap
metadata: { name: ssa, namespace: ${ns} }
data: { a: "1", b: "2" }
`,
    );
    expect((await k("apply", "--server-side", "-f", file)).stdout).toContain(
      "configmap/ssa serverside-applied",
    );
    await writeFile(
      file,
      `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ssa, namespace: ${ns} }\ndata: { a: "1" }\n`,
    );
    await k("apply", "--server-side", "-f", file);
    const cm = parse((await k("get", "configmap", "ssa", "-n", ns, "-o", "yaml")).stdout);
    // The field the manager stopped applying is removed.
    expect(cm.data).toEqual({ a: "1" });
    const resources = await k("api-resources", "-o", "name");
    expect(resources.stdout.split("\n")).toEqual(
      expect.arrayContaining([
        "pods",
        "jobs.batch",
        "deployments.apps",
        "roles.rbac.authorization.k8s.io",
        "ingresses.networking.k8s.io",
      ]),
    );
    const docs = parseAllDocuments((await k("get", "ns", ns, "-o", "yaml")).stdout);
    expect(docs[0]!.toJSON().status.phase).toBe("Active");
  });
});
