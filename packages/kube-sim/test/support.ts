import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { waitFor as pollUntil } from "@bosun/test-support";
import * as k8s from "@kubernetes/client-node";
import { ensureK8sTools, type KubeSim, startKubeSim } from "../src/index.ts";

/** Shared helpers for kube-sim's end-to-end suites. */
const exec = promisify(execFile);

export const TEST_IMAGES = {
  // Test pods run this machine's `sh` and `node` (the container's command is used as is).
  "busybox:*": {},
  "node:*": {},
  // Like an image whose Dockerfile says STOPSIGNAL SIGINT (postgres does).
  "node-stops-on-sigint:*": { stopSignal: "SIGINT" },
} as const;

export async function startTestSim(): Promise<KubeSim> {
  return startKubeSim({
    jobBackoffMs: 200,
    resyncMs: 100,
    bookmarkIntervalMs: 500,
    kubelet: {
      images: TEST_IMAGES,
      timing: { imagePullBackoffMs: 500, crashLoopBackoffMs: 500, volumeRetryMs: 300 },
    },
  });
}

export function clients(sim: KubeSim) {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(sim.kubeconfigPath);
  return {
    kc,
    core: kc.makeApiClient(k8s.CoreV1Api),
    batch: kc.makeApiClient(k8s.BatchV1Api),
    apps: kc.makeApiClient(k8s.AppsV1Api),
  };
}

let counter = 0;
/** A unique, DNS-safe name for a test's namespace or object. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${++counter}`;
}

export async function createNamespace(sim: KubeSim, name: string): Promise<void> {
  await clients(sim).core.createNamespace({ body: { metadata: { name } } });
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs` (default 20 s). */
export function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
): Promise<T> {
  return pollUntil(what, probe, timeoutMs, 100);
}

/** The typed API clients a suite talks to the sim through. */
export type TestClients = ReturnType<typeof clients>;

/** Creates pod `name` in namespace `ns` from `spec`. */
export async function createPod(
  api: TestClients,
  ns: string,
  name: string,
  spec: k8s.V1PodSpec,
): Promise<void> {
  await api.core.createNamespacedPod({ namespace: ns, body: { metadata: { name }, spec } });
}

/** Polls pod `name` until `accept` holds for it (`what` names the wait in a timeout); returns the pod. */
export function waitForPod(
  api: TestClients,
  ns: string,
  name: string,
  what: string,
  accept: (pod: k8s.V1Pod) => unknown,
): Promise<k8s.V1Pod> {
  return waitFor(what, async () => {
    const pod = await api.core.readNamespacedPod({ name, namespace: ns });
    return accept(pod) ? pod : undefined;
  });
}

/** Waits until pod `name` has finished, Succeeded or Failed; returns it. */
export function waitForPodToFinish(api: TestClients, ns: string, name: string): Promise<k8s.V1Pod> {
  return waitForPod(
    api,
    ns,
    name,
    `pod ${name} to finish`,
    (p) => p.status?.phase === "Succeeded" || p.status?.phase === "Failed",
  );
}

/** Waits until the log of pod `name` contains `text` (a long-running container has started). */
export function waitForLog(api: TestClients, ns: string, name: string, text: string): Promise<true> {
  return waitFor(`log of ${name} to show ${JSON.stringify(text)}`, async () =>
    (await api.core.readNamespacedPodLog({ name, namespace: ns })).includes(text) ? true : undefined,
  );
}

/**
 * Runs pod `name` to completion: creates it, waits until it Succeeded or Failed, and returns the
 * finished pod with its log (for one-container pods). Tests assert the phase themselves.
 */
export async function runPod(
  api: TestClients,
  ns: string,
  name: string,
  spec: k8s.V1PodSpec,
): Promise<{ pod: k8s.V1Pod; log: string }> {
  await createPod(api, ns, name, spec);
  const pod = await waitForPodToFinish(api, ns, name);
  const log = await api.core.readNamespacedPodLog({ name, namespace: ns });
  return { pod, log };
}

export interface ToolResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

export async function runTool(
  binary: string,
  args: string[],
  sim: KubeSim,
  input?: string,
): Promise<ToolResult> {
  const child = exec(binary, args, {
    env: { PATH: process.env.PATH ?? "", HOME: sim.workDir, KUBECONFIG: sim.kubeconfigPath },
    timeout: 90_000,
  });
  if (input !== undefined) child.child.stdin?.end(input);
  try {
    const { stdout, stderr } = await child;
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? "", stderr: e.stderr ?? "", code: typeof e.code === "number" ? e.code : 1 };
  }
}

export async function tools() {
  return ensureK8sTools();
}
